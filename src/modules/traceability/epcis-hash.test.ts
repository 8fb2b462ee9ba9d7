import { describe, expect, it } from 'vitest';
import { eventHashId, eventPreHash } from './epcis-hash.js';

/** An ObjectEvent of the standard's examples: two serials shipped against a purchase order. */
const shipped = {
  type: 'ObjectEvent',
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  epcList: ['https://id.gs1.org/01/10614141073464/21/2018', 'https://id.gs1.org/01/10614141073464/21/2017'],
  eventTime: '2022-02-16T20:33:31.116-06:00',
  eventTimeZoneOffset: '-06:00',
  readPoint: { id: 'https://id.gs1.org/414/0614141073467/254/1234' },
  bizTransactionList: [{ type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' }],
};

describe('EPCIS event hash ID (CBV 2.0)', () => {
  it('[Q.TRC] gives the published pre-hash string and hash of an example event', () => {
    expect(eventPreHash(shipped)).toBe(
      'eventType=ObjectEventeventTime=2022-02-17T02:33:31.116ZeventTimeZoneOffset=-06:00' +
        'epcListepc=https://id.gs1.org/01/10614141073464/21/2017epc=https://id.gs1.org/01/10614141073464/21/2018' +
        'action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transit' +
        'readPointid=https://id.gs1.org/414/0614141073467/254/1234' +
        'bizTransactionListbizTransaction=http://transaction.acme.com/po/12345678type=https://ref.gs1.org/cbv/BTT-po',
    );
    expect(eventHashId(shipped)).toBe('ni:///sha-256;3e0f2437f4cb5e8a1b832b769c0eed1bf3e1421f14061132e9800ded03f10182?ver=CBV2.0');
  });

  it('[Q.TRC] is the same however the event is written: field order, time zone, full CBV URIs, another Digital Link resolver, eventID and recordTime', () => {
    const rewritten = {
      eventID: 'urn:uuid:6f1d7c8e-0000-4000-8000-000000000000',
      recordTime: '2022-02-17T03:00:00Z',
      bizTransactionList: [{ bizTransaction: 'http://transaction.acme.com/po/12345678', type: 'https://ref.gs1.org/cbv/BTT-po' }],
      readPoint: { id: 'https://id.gs1.org/414/0614141073467/254/1234' },
      eventTimeZoneOffset: '-06:00',
      eventTime: '2022-02-17T10:33:31.116+08:00',
      epcList: ['https://resolver.example.com/01/10614141073464/21/2017', 'https://id.gs1.org/01/10614141073464/21/2018'],
      disposition: 'urn:epcglobal:cbv:disp:in_transit',
      bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
      action: 'OBSERVE',
      type: 'ObjectEvent',
    };
    expect(eventHashId(rewritten)).toBe(eventHashId(shipped));
  });

  it('[Q.TRC] changes with any field that counts: a serial, the time, a quantity, the master data of the lot', () => {
    const base = eventHashId(shipped);
    expect(eventHashId({ ...shipped, epcList: ['https://id.gs1.org/01/10614141073464/21/2017'] })).not.toBe(base);
    expect(eventHashId({ ...shipped, eventTime: '2022-02-16T20:33:31.117-06:00' })).not.toBe(base);
    const made = {
      type: 'ObjectEvent',
      eventTime: '2026-07-22T14:45:00.000+08:00',
      eventTimeZoneOffset: '+08:00',
      action: 'ADD',
      quantityList: [{ epcClass: 'https://id.gs1.org/01/09506000134352/10/L1', quantity: 5.0, uom: 'KGM' }],
      ilmd: { 'cbvmda:lotNumber': 'L1', 'cbvmda:itemExpirationDate': '2028-07-31' },
    };
    expect(eventPreHash(made)).toBe(
      'eventType=ObjectEventeventTime=2026-07-22T06:45:00.000ZeventTimeZoneOffset=+08:00' +
        'quantityListquantityElementepcClass=https://id.gs1.org/01/09506000134352/10/L1quantity=5uom=KGMaction=ADD' +
        'ilmdurn:epcglobal:cbv:mda:itemExpirationDate=2028-07-31urn:epcglobal:cbv:mda:lotNumber=L1',
    );
    expect(eventHashId({ ...made, ilmd: { ...made.ilmd, 'cbvmda:itemExpirationDate': '2028-08-31' } })).not.toBe(eventHashId(made));
  });
});
