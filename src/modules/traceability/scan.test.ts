import { describe, expect, it } from 'vitest';
import { GS } from './gs1.js';
import { decodeScan } from './scan.js';

const today = new Date('2026-12-04T00:00:00Z');
const udi = { gtin: '09506000134352', expiryDate: '2028-06-30', batch: 'LOT-4711', serial: 'SN0001' };

describe('scan fields', () => {
  it('[Q.LBL] reads the same UDI from a scanner, its printed form and its Digital Link URI', () => {
    const scanned = decodeScan(`]d20109506000134352${GS}21SN0001${GS}10LOT-4711${GS}17280630`, today);
    expect(scanned).toMatchObject({
      form: 'elementString',
      data: udi,
      humanReadable: '(01)09506000134352(17)280630(10)LOT-4711(21)SN0001',
    });
    expect(decodeScan(scanned.humanReadable, today)).toMatchObject({ form: 'humanReadable', data: udi });
    expect(decodeScan(scanned.digitalLink!, today)).toMatchObject({ form: 'digitalLink', data: udi });
  });

  it('[Q.LBL] accepts the group separator a scanner sends after the last element', () => {
    expect(decodeScan(`]d20109506000134352${GS}21SN0001${GS}`, today).data).toMatchObject({ gtin: udi.gtin, serial: 'SN0001' });
  });

  it('lists elements beyond the typed fields, and gives no Digital Link for data one cannot carry', () => {
    const scanned = decodeScan(`0109506000134352${'8200'}https://example.com/ifu`, today);
    expect(scanned.data.elements).toContainEqual({ ai: '8200', value: 'https://example.com/ifu', title: 'PRODUCT URL' });
    expect(scanned.digitalLink).toBeNull();
  });

  it('refuses a Digital Link whose scheme is not lower case', () => {
    expect(() => decodeScan('HTTPS://id.gs1.org/01/09506000134352', today)).toThrow(
      expect.objectContaining({ code: 'error.gs1.digitalLinkScheme' }),
    );
  });

  it('refuses a GTIN with a wrong check digit, naming the GS1 rule', () => {
    expect(() => decodeScan('(01)09506000134353(10)LOT-1', today)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^error\.gs1\./) }),
    );
  });
});
