import { describe, expect, it } from 'vitest';
import {
  digitalLinkUri,
  encodeElementString,
  formatHumanReadable,
  GS,
  type Gs1Data,
  parseDigitalLink,
  parseElementString,
  parseHumanReadable,
} from './gs1.js';

const today = new Date('2026-11-22T00:00:00Z');
const opts = { today };

const udi: Gs1Data = {
  gtin: '09506000134352',
  productionDate: '2026-05-04',
  expiryDate: '2028-06-30',
  batch: 'LOT-4711',
  serial: 'SN0001',
};

const rejects = (fn: () => unknown, code: string) => expect(fn).toThrow(expect.objectContaining({ code: `error.gs1.${code}` }));

describe('GS1 element strings for UDI', () => {
  it('[Q.LBL] generates the barcode data with fixed-length AIs first and GS only between variable-length fields', () => {
    expect(encodeElementString(udi, opts)).toBe(`0109506000134352112605041728063010LOT-4711${GS}21SN0001`);
    expect(formatHumanReadable(udi, opts)).toBe('(01)09506000134352(11)260504(17)280630(10)LOT-4711(21)SN0001');
  });

  it('parses a scanned GS1 DataMatrix with symbology identifier, variable fields in any order', () => {
    const scanned = `]d20109506000134352${GS}21SN0001${GS}10LOT-4711${GS}17280630`;
    expect(parseElementString(scanned, opts)).toEqual({
      gtin: '09506000134352',
      serial: 'SN0001',
      batch: 'LOT-4711',
      expiryDate: '2028-06-30',
    });
  });

  it('round-trips barcode data, human-readable text and Digital Link to the same record', () => {
    expect(parseElementString(encodeElementString(udi, opts), opts)).toEqual(udi);
    expect(parseHumanReadable(formatHumanReadable(udi, opts), opts)).toEqual(udi);
    expect(parseHumanReadable('(01) 09506000134352 (17) 280630 (10) LOT-4711', opts)).toEqual({
      gtin: '09506000134352',
      expiryDate: '2028-06-30',
      batch: 'LOT-4711',
    });
    expect(parseDigitalLink(digitalLinkUri(udi, opts), opts)).toEqual(udi);
  });

  it('reads expiry day 00 as the last day of the month, leap years included', () => {
    expect(parseElementString('0109506000134352170802' + '00', opts).expiryDate).toBe('2008-02-29');
    expect(parseElementString('0109506000134352172702' + '00', opts).expiryDate).toBe('2027-02-28');
    expect(parseElementString('0109506000134352112611' + '00', opts).productionDate).toBe('2026-11-30');
  });

  it('places two-digit years by the GS1 century rule relative to today', () => {
    expect(parseElementString('010950600013435217761231', opts).expiryDate).toBe('2076-12-31');
    expect(parseElementString('010950600013435217771231', opts).expiryDate).toBe('1977-12-31');
    rejects(() => encodeElementString({ gtin: '09506000134352', expiryDate: '2080-01-01' }, opts), 'date');
  });

  it('carries expiry date and time (7003) with a separator because it is not a predefined-length AI', () => {
    const data = { gtin: '09506000134352', expiryDateTime: '2027-03-01T14:30', batch: 'B1' };
    expect(encodeElementString(data, opts)).toBe(`0109506000134352${'7003'}2703011430${GS}10B1`);
    expect(parseElementString(encodeElementString(data, opts), opts)).toEqual(data);
    rejects(() => parseElementString(`0109506000134352${'7003'}2703011430${'10B1'}`, opts), 'syntax');
    rejects(() => parseElementString('010950600013435270032703012460', opts), 'time');
    rejects(() => parseElementString('010950600013435270032703001430', opts), 'date');
  });

  it('accepts GTIN-8, -12 and -13 when generating and writes them as GTIN-14', () => {
    expect(encodeElementString({ gtin: '4006381333931', batch: 'A' }, opts)).toBe('010400638133393110A');
  });

  it('builds an SSCC logistic label with content and count', () => {
    const pallet = { sscc: '106141411234567897', contentGtin: '10614141000415', count: 48 };
    expect(formatHumanReadable(pallet, opts)).toBe('(00)106141411234567897(02)10614141000415(37)48');
    expect(parseElementString(encodeElementString(pallet, opts), opts)).toEqual(pallet);
    expect(digitalLinkUri(pallet, opts)).toBe('https://id.gs1.org/00/106141411234567897?02=10614141000415&37=48');
  });

  it('refuses bad check digits, dates, lengths, characters and unknown AIs with a clear code', () => {
    rejects(() => parseElementString('0109506000134353', opts), 'checkDigit');
    rejects(() => parseElementString('010950600013435217261301', opts), 'date');
    rejects(() => parseElementString('0109506000134352172602' + '30', opts), 'date');
    rejects(() => parseElementString(`0109506000134352${'10'}${'X'.repeat(21)}`, opts), 'length');
    rejects(() => parseElementString('010950600013435210LOT 1', opts), 'characterSet');
    rejects(() => parseElementString('0109506000134352990001', opts), 'unknownAi');
    rejects(() => parseElementString('01095060001343', opts), 'length');
    rejects(() => parseElementString(`0109506000134352${GS}`, opts), 'syntax');
    rejects(() => parseElementString('', opts), 'syntax');
    rejects(() => encodeElementString({ gtin: '09506000134352', batch: 'ÄBC' }, opts), 'characterSet');
    rejects(() => encodeElementString({ gtin: '09506000134352', variableCount: 1.5 }, opts), 'numeric');
    rejects(() => encodeElementString({ gtin: '09506000134352', lot: 'X' } as Gs1Data, opts), 'unknownField');
  });

  it('enforces the AI pairing rules: serial needs a GTIN, (02) excludes (01), (37) needs (00) and (02), no duplicates', () => {
    rejects(() => parseElementString('21SN0001', opts), 'missingAi');
    rejects(() => parseElementString('10LOT', opts), 'missingAi');
    rejects(() => encodeElementString({ gtin: '09506000134352', contentGtin: '10614141000415', count: 4 }, opts), 'exclusiveAi');
    rejects(() => encodeElementString({ contentGtin: '10614141000415', count: 4 }, opts), 'missingAi');
    rejects(() => parseElementString(`010950600013435210A${GS}10B`, opts), 'duplicateAi');
  });
});

describe('GS1 Digital Link', () => {
  it('[Q.LBL] puts GTIN, lot and serial in the path and other AIs in the query, percent-encoding reserved characters', () => {
    const uri = digitalLinkUri({ gtin: '09506000134352', batch: "A/B&C(1)'", serial: '50%+x', expiryDate: '2028-06-30' }, opts);
    expect(uri).toBe('https://id.gs1.org/01/09506000134352/10/A%2FB%26C%281%29%27/21/50%25%2Bx?17=280630');
    expect(parseDigitalLink(uri, opts)).toMatchObject({ batch: "A/B&C(1)'", serial: '50%+x' });
  });

  it('uses the brand resolver when given', () => {
    expect(digitalLinkUri({ gtin: '09506000134352', serial: 'S1' }, { ...opts, resolver: 'https://udi.example.com/' })).toBe(
      'https://udi.example.com/01/09506000134352/21/S1',
    );
  });

  it('parses a link on any domain and path prefix, padding a GTIN-13 and ignoring non-AI parameters', () => {
    const data = parseDigitalLink('https://brand.example.com/products/01/4006381333931/10/L%2F7?17=280600&linkType=gs1:pip', opts);
    expect(data).toEqual({ gtin: '04006381333931', batch: 'L/7', expiryDate: '2028-06-30' });
  });

  it('refuses qualifiers out of order, a serial in the query, unknown AIs and links without a key', () => {
    rejects(() => parseDigitalLink('https://id.gs1.org/01/09506000134352/21/S1/10/L1', opts), 'digitalLink');
    rejects(() => parseDigitalLink('https://id.gs1.org/01/09506000134352?21=S1', opts), 'unknownAi');
    rejects(() => parseDigitalLink('https://id.gs1.org/01/09506000134352?99=X', opts), 'unknownAi');
    rejects(() => parseDigitalLink('https://id.gs1.org/products/123', opts), 'digitalLink');
    rejects(() => parseDigitalLink('urn:epc:id:sgtin:9506000.013435.1', opts), 'digitalLink');
    rejects(() => parseDigitalLink('https://id.gs1.org/01/09506000134353', opts), 'checkDigit');
    rejects(() => parseDigitalLink('https://id.gs1.org/01/09506000134352/10/%E0%A4%A', opts), 'digitalLink');
    rejects(() => digitalLinkUri({ batch: 'L1' }, opts), 'missingAi');
  });
});
