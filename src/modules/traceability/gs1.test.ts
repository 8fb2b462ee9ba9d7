import { describe, expect, it } from 'vitest';
import { encodeElementString, formatHumanReadable, GS, type Gs1Data, parseElementString, parseHumanReadable } from './gs1.js';
import { GS1_AIS, gs1Ai } from './gs1-ais.js';
import { digitalLinkUri, parseDigitalLink } from './gs1-digital-link.js';

const today = new Date('2026-11-22T00:00:00Z');
const opts = { today };

const GTIN = '09506000134352';
const GLN = '9506000134369';
const udi: Gs1Data = {
  gtin: GTIN,
  productionDate: '2026-05-04',
  expiryDate: '2028-06-30',
  batch: 'LOT-4711',
  serial: 'SN0001',
};

/** The typed fields only, as most callers read them. */
const typed = ({ elements: _, ...fields }: Gs1Data) => fields;
/** The elements read, as [AI, data] pairs. */
const pairs = (data: Gs1Data) => data.elements?.map((e) => [e.ai, e.value]);
/** The elements read, in the bracketed form. */
const listed = (data: Gs1Data) => data.elements?.map((e) => `(${e.ai})${e.value}`).join('');
const rejects = (fn: () => unknown, code: string) => expect(fn).toThrow(expect.objectContaining({ code: `error.gs1.${code}` }));

describe('GS1 element strings for UDI', () => {
  it('[Q.LBL] generates the barcode data with fixed-length AIs first and GS only between variable-length fields', () => {
    expect(encodeElementString(udi, opts)).toBe(`0109506000134352112605041728063010LOT-4711${GS}21SN0001`);
    expect(formatHumanReadable(udi, opts)).toBe('(01)09506000134352(11)260504(17)280630(10)LOT-4711(21)SN0001');
  });

  it('[Q.LBL] parses a scanned GS1 DataMatrix with symbology identifier, variable fields in any order, and lists every element', () => {
    const scanned = `]d20109506000134352${GS}21SN0001${GS}10LOT-4711${GS}17280630`;
    const data = parseElementString(scanned, opts);
    expect(typed(data)).toEqual({ gtin: GTIN, serial: 'SN0001', batch: 'LOT-4711', expiryDate: '2028-06-30' });
    expect(data.elements).toEqual([
      { ai: '01', value: GTIN, title: 'GTIN' },
      { ai: '21', value: 'SN0001', title: 'SERIAL' },
      { ai: '10', value: 'LOT-4711', title: 'BATCH/LOT' },
      { ai: '17', value: '280630', title: 'USE BY or EXPIRY' },
    ]);
  });

  it('round-trips barcode data, human-readable text and Digital Link to the same record', () => {
    expect(typed(parseElementString(encodeElementString(udi, opts), opts))).toEqual(udi);
    expect(typed(parseHumanReadable(formatHumanReadable(udi, opts), opts))).toEqual(udi);
    expect(typed(parseHumanReadable('(01) 09506000134352 (17) 280630 (10) LOT-4711', opts))).toEqual({
      gtin: GTIN,
      expiryDate: '2028-06-30',
      batch: 'LOT-4711',
    });
    expect(typed(parseDigitalLink(digitalLinkUri(udi, opts), opts))).toEqual(udi);
  });

  it('reads expiry day 00 as the last day of the month, leap years included', () => {
    expect(parseElementString('0109506000134352170802' + '00', opts).expiryDate).toBe('2008-02-29');
    expect(parseElementString('0109506000134352172702' + '00', opts).expiryDate).toBe('2027-02-28');
    expect(parseElementString('0109506000134352112611' + '00', opts).productionDate).toBe('2026-11-30');
  });

  it('places two-digit years by the GS1 century rule relative to today', () => {
    expect(parseElementString('010950600013435217761231', opts).expiryDate).toBe('2076-12-31');
    expect(parseElementString('010950600013435217771231', opts).expiryDate).toBe('1977-12-31');
    rejects(() => encodeElementString({ gtin: GTIN, expiryDate: '2080-01-01' }, opts), 'date');
  });

  it('carries expiry date and time (7003) with a separator because it is not a predefined-length AI', () => {
    const data = { gtin: GTIN, expiryDateTime: '2027-03-01T14:30', batch: 'B1' };
    expect(encodeElementString(data, opts)).toBe(`0109506000134352${'7003'}2703011430${GS}10B1`);
    expect(typed(parseElementString(encodeElementString(data, opts), opts))).toEqual(data);
    rejects(() => parseElementString(`0109506000134352${'7003'}2703011430${'10B1'}`, opts), 'separator');
    rejects(() => parseElementString('010950600013435270032703012460', opts), 'time');
    rejects(() => parseElementString('010950600013435270032703001430', opts), 'date');
  });

  it('accepts GTIN-8, -12 and -13 when generating and writes them as GTIN-14', () => {
    expect(encodeElementString({ gtin: '4006381333931', batch: 'A' }, opts)).toBe('010400638133393110A');
  });

  it('builds an SSCC logistic label with content and count', () => {
    const pallet = { sscc: '106141411234567897', contentGtin: '10614141000415', count: 48 };
    expect(formatHumanReadable(pallet, opts)).toBe('(00)106141411234567897(02)10614141000415(37)48');
    expect(typed(parseElementString(encodeElementString(pallet, opts), opts))).toEqual(pallet);
    expect(digitalLinkUri(pallet, opts)).toBe('https://id.gs1.org/00/106141411234567897?02=10614141000415&37=48');
  });

  it('accepts the group separator a scanner sends after the last element, and a leading FNC1', () => {
    expect(typed(parseElementString(`0109506000134352${'10'}LOT-1${GS}`, opts))).toEqual({ gtin: GTIN, batch: 'LOT-1' });
    expect(typed(parseElementString(`]C1${GS}0109506000134352${'10'}LOT-1${GS}${GS}`, opts))).toEqual({ gtin: GTIN, batch: 'LOT-1' });
  });

  it.each([
    ['GS1 DataMatrix', ']d2'],
    ['GS1-128', ']C1'],
    ['GS1 QR Code', ']Q3'],
    ['GS1 DataBar', ']e0'],
    ['GS1 DotCode', ']J1'],
  ])('reads the symbology identifier of %s', (_, id) => {
    expect(parseElementString(`${id}0109506000134352`, opts).gtin).toBe(GTIN);
  });

  it('refuses a symbology identifier that does not announce GS1 data', () => {
    rejects(() => parseElementString(']d10109506000134352', opts), 'symbology');
    rejects(() => parseElementString(']Q10109506000134352', opts), 'symbology');
  });
});

describe('the AI table', () => {
  it('covers every AI of the syntax dictionary, ranges included', () => {
    const ais = new Set(GS1_AIS.map((d) => d.ai));
    expect(ais.size).toBe(GS1_AIS.length);
    for (const ai of [
      '00',
      '03',
      '235',
      '255',
      '3100',
      '3695',
      '3375',
      '3909',
      '3919',
      '3943',
      '3955',
      '4333',
      '7039',
      '7239',
      '8043',
      '8200',
      '90',
    ]) {
      expect(ais.has(ai), ai).toBe(true);
    }
    for (let d = 1; d <= 9; d++) expect(gs1Ai(`9${d}`)?.title).toBe('INTERNAL');
    for (const absent of ['04', '14', '23', '3106', '3380', '3944', '3956', '7024', '7042', '89'])
      expect(gs1Ai(absent), absent).toBeUndefined();
    expect(gs1Ai('7034')).toMatchObject({ title: 'PROCESSOR # 4', dlAttribute: true });
    expect(gs1Ai('7239')?.title).toBe('CERT # 10');
  });

  it('keeps AIs prefix-free, so an element string needs no lookahead to find its AI', () => {
    const ais = GS1_AIS.map((d) => d.ai);
    expect(ais.flatMap((a) => ais.filter((b) => b !== a && b.startsWith(a)).map((b) => `${a} / ${b}`))).toEqual([]);
  });

  it('describes each AI: predefined length, fixed length, decimal point, companions and Digital Link role', () => {
    expect(gs1Ai('01')).toMatchObject({ predefined: true, fixedLength: 14, dlQualifiers: [['22', '10', '21'], ['235']] });
    expect(gs1Ai('3103')).toMatchObject({ predefined: true, fixedLength: 6, decimalPoint: true, excludes: ['310n'] });
    expect(gs1Ai('7003')).toMatchObject({ predefined: false, fixedLength: 10 });
    expect(gs1Ai('253')).toMatchObject({ fixedLength: undefined, dlQualifiers: [[]] });
    expect(gs1Ai('250')?.requires).toEqual([
      ['01', '21'],
      ['03', '21'],
      ['8006', '21'],
    ]);
    expect(gs1Ai('21')).toMatchObject({ dlAttribute: false, excludes: ['235'] });
  });
});

describe('every kind of GS1 element', () => {
  const SSCC = '106141411234567897';
  it.each<[string, string, string]>([
    ['SSCC, fixed 18 digits', `00${SSCC}`, `(00)${SSCC}`],
    ['MTO GTIN (03) with a serial', `03${GTIN}21S${GS}`, `(03)${GTIN}(21)S`],
    ['variant (20), 2 digits without FNC1', `01${GTIN}2007`, `(01)${GTIN}(20)07`],
    ['CPV (22) and secondary serial (250)', `01${GTIN}22C-1${GS}21S${GS}250X`, `(01)${GTIN}(22)C-1(21)S(250)X`],
    ['GDTI (253) with serial component', `253${GLN}DOC-42`, `(253)${GLN}DOC-42`],
    ['GDTI (253) without its optional component', `253${GLN}`, `(253)${GLN}`],
    ['GLN extension (254) after (414)', `414${GLN}254A`, `(414)${GLN}(254)A`],
    ['net weight (3103), predefined length', `01${GTIN}3103001250${'10'}L`, `(01)${GTIN}(3103)001250(10)L`],
    ['GSIN (402)', '40295060001345000005', `(402)95060001345000005`],
    ['ship-to GLN (410) with an SSCC', `00${SSCC}410${GLN}`, `(00)${SSCC}(410)${GLN}`],
    ['country of origin (422), ISO numeric', `01${GTIN}422276`, `(01)${GTIN}(422)276`],
    ['countries of initial processing (423), up to five', `01${GTIN}423276250380`, `(01)${GTIN}(423)276250380`],
    ['ship-to country (4307), ISO alpha-2', `00${SSCC}4307CN`, `(00)${SSCC}(4307)CN`],
    ['not-before delivery date and time (4324)', `00${SSCC}43242611300930`, `(00)${SSCC}(4324)2611300930`],
    ['maximum temperature (4330) below zero', `00${SSCC}4330000250-`, `(00)${SSCC}(4330)000250-`],
    ['harvest date range (7007)', `01${GTIN}7007260101260131`, `(01)${GTIN}(7007)260101260131`],
    ['processor (7030) with country 999', `01${GTIN}7030999PLANT-1`, `(01)${GTIN}(7030)999PLANT-1`],
    ['UIC with extension (7040)', `8004950600ASSET-1${GS}70401A2-`, `(8004)950600ASSET-1(7040)1A2-`],
    ['NHRN (712) for a national registration number', `01${GTIN}712NMPA-20263140001`, `(01)${GTIN}(712)NMPA-20263140001`],
    ['certification reference (7230)', `01${GTIN}7230ISO13485`, `(01)${GTIN}(7230)ISO13485`],
    ['date of birth (7250) for a recipient (8018)', `8018950600013435000011${GS}725020240229`, `(8018)950600013435000011(7250)20240229`],
    ['roll dimensions (8001)', `01${GTIN}8001${'05000120001010'}`, `(01)${GTIN}(8001)05000120001010`],
    ['GRAI (8003) with serial', `80030${GLN}RTI-7`, `(8003)0${GLN}RTI-7`],
    ['ITIP (8006), piece 1 of 2', `8006${GTIN}0102`, `(8006)${GTIN}0102`],
    [
      'IBAN (8007) for a pay-to GLN',
      `415${GLN}8020INV-1${GS}8007GB82WEST12345698765432`,
      `(415)${GLN}(8020)INV-1(8007)GB82WEST12345698765432`,
    ],
    ['production date and hour (8008)', `01${GTIN}800826112214`, `(01)${GTIN}(8008)26112214`],
    ['component/part id (8010) in character set 39', '8010ABC-123/X#', `(8010)ABC-123/X#`],
    ['GMN (8013) with its check character pair', '80139506000MODEL-X1T2', `(8013)9506000MODEL-X1T2`],
    [
      'GSRN provider (8017) with service relation instance (8019)',
      `8017950600013435000011${GS}8019${'7'}`,
      `(8017)950600013435000011(8019)7`,
    ],
    ['digital signature (8030), base64url', `00${SSCC}8030ab-_Q==`, `(00)${SSCC}(8030)ab-_Q==`],
    ['IMEI (8040) with GTIN and serial', `01${GTIN}21S${GS}8040490154203237518`, `(01)${GTIN}(21)S(8040)490154203237518`],
    ['production date and time to the second (8008)', `01${GTIN}8008261122143059`, `(01)${GTIN}(8008)261122143059`],
    ['test-by date with its optional time (7011)', `01${GTIN}70112612310800`, `(01)${GTIN}(7011)2612310800`],
    ['ship-to geolocation (4309)', `00${SSCC}430909000000001800000000`, `(00)${SSCC}(4309)09000000001800000000`],
    ['MUDI (8014) with its check character pair', `01${GTIN}80149506000UDI-ASW`, `(01)${GTIN}(8014)9506000UDI-ASW`],
    [
      'birth sequence (7258) of a baby (7259)',
      `8018950600013435000011${GS}7259BABY${GS}7258${'1/2'}`,
      `(8018)950600013435000011(7259)BABY(7258)1/2`,
    ],
    ['company internal (91)', `01${GTIN}91ANY-TEXT-90`, `(01)${GTIN}(91)ANY-TEXT-90`],
  ])('reads %s', (_, input, expected) => {
    expect(listed(parseElementString(input, opts))).toBe(expected);
  });

  it('reads the decimal point from the last digit of the AI', () => {
    const data = parseElementString(`01${GTIN}3103001250${'3922'}1999${GS}30${'2'}`, opts);
    expect(data.elements).toContainEqual({ ai: '3103', value: '001250', title: 'NET WEIGHT (kg)', decimal: '1.250' });
    expect(data.elements).toContainEqual({ ai: '3922', value: '1999', title: 'PRICE', decimal: '19.99' });
    const withCurrency = parseElementString(`01${GTIN}3100000042${'3932'}978250${GS}`, opts);
    expect(withCurrency.elements).toContainEqual({ ai: '3100', value: '000042', title: 'NET WEIGHT (kg)', decimal: '42' });
    expect(withCurrency.elements).toContainEqual({ ai: '3932', value: '978250', title: 'PRICE', decimal: '2.50' });
  });

  it.each<[string, string, string]>([
    ['an SSCC check digit', '00106141411234567898', 'checkDigit'],
    ['a GLN check digit', `01${GTIN}410${GLN.slice(0, 12)}0`, 'checkDigit'],
    ['a GDTI check digit', '2539506000134368DOC', 'checkDigit'],
    ['a GMN check character pair', '80139506000MODEL-X1T3', 'checkDigit'],
    ['an IBAN check', `415${GLN}8020INV-1${GS}8007GB83WEST12345698765432`, 'checkDigit'],
    ['a production date that does not exist', `01${GTIN}11260230`, 'date'],
    ['day 00 where the AI does not allow it (7006)', `01${GTIN}7006261100`, 'date'],
    ['an eight-digit date of birth that does not exist', `8018950600013435000011${GS}725020230229`, 'date'],
    ['an hour 24 in a production time (8008)', `01${GTIN}800826112224`, 'time'],
    ['a minute 60 in a delivery time (4325)', `00106141411234567897${'4325'}2611300960`, 'time'],
    ['a second 60 in a production time (8008)', `01${GTIN}8008261122143060`, 'time'],
    ['an hour 25 in a test-by time (7011)', `01${GTIN}70112612312500`, 'time'],
    ['a latitude beyond 180 degrees (4309)', `00106141411234567897${'4309'}18000000010000000000`, 'value'],
    ['a birth sequence past its total (7258)', `8018950600013435000011${GS}7259BABY${GS}7258${'3/2'}`, 'value'],
    ['an unknown alpha-2 country (4307)', '001061414112345678974307QQ', 'countryCode'],
    ['a yes/no flag of 2 (4321)', '0010614141123456789743212', 'value'],
    ['a piece beyond its total (8006)', `8006${GTIN}0302`, 'value'],
    ['a non-zero GRAI filler (8003)', `80031${GLN}RTI-7`, 'value'],
    ['a temperature sign other than a hyphen (4330)', '001061414112345678974330000250+', 'value'],
    ['a broken percent-encoding (4300)', '001061414112345678974300ACME%2', 'value'],
    ['a zero dimension (8001)', `01${GTIN}8001${'00000120001010'}`, 'value'],
    ['a CPID serial with a leading zero (8011)', `8010ABC${GS}8011012`, 'value'],
    ['a lower-case letter in character set 39 (8010)', '8010abc', 'characterSet'],
    ['a space in a lot number', `01${GTIN}10LOT 1`, 'characterSet'],
    ['letters in a numeric AI (30)', `01${GTIN}30ABC`, 'numeric'],
    ['a lot longer than 20', `01${GTIN}10${'X'.repeat(21)}`, 'length'],
    ['a GTIN cut short', '01095060001343', 'length'],
    ['a GTIN cut short by a separator', `0109506000134${GS}10A`, 'length'],
    ['a country code without its postal code (421)', '421276', 'length'],
    ['an empty element', `01${GTIN}10${GS}21S`, 'length'],
    ['an AI GS1 has not defined', `01${GTIN}89AB`, 'unknownAi'],
    ['a fixed-length AI that is not predefined, without its separator', `01${GTIN}4321110A`, 'separator'],
    ['two separators in a row', `01${GTIN}10A${GS}${GS}21S`, 'separator'],
    ['an empty string', '', 'syntax'],
    ['only a separator', GS, 'syntax'],
  ])('refuses %s', (_, input, code) => {
    rejects(() => parseElementString(input, opts), code);
  });
});

describe('mandatory and invalid AI pairings', () => {
  it.each<[string, string, string]>([
    ['a serial without a GTIN', '21SN0001', 'missingAi'],
    ['a lot without a trade item', '10LOT', 'missingAi'],
    ['content (02) without a count (37)', '0210614141000415', 'missingAi'],
    ['a count (37) without SSCC and content', `0210614141000415${'37'}4`, 'missingAi'],
    ['a secondary serial (250) without a serial', `01${GTIN}250X`, 'missingAi'],
    ['a price per unit of measure (395n) without a measured quantity', `01${GTIN}3952000100`, 'missingAi'],
    ['a refurbishment lot (7020) without a production location (416)', `01${GTIN}7020R1`, 'missingAi'],
    ['a birth sequence (7258) without the baby (7259)', `8018950600013435000011${GS}7258${'1/2'}`, 'missingAi'],
    ['a GTIN with a content GTIN', `01${GTIN}0210614141000415${'37'}4`, 'exclusiveAi'],
    ['a GTIN with a count', `00106141411234567897${'01'}${GTIN}37${'4'}`, 'exclusiveAi'],
    ['two net weights in kg (310n)', `01${GTIN}31020012503103001250`, 'exclusiveAi'],
    ['a serial with a TPX (235)', `01${GTIN}21S${GS}235T`, 'exclusiveAi'],
    ['maximum temperatures in °F and °C', `00106141411234567897${'4330'}000250${GS}4331000100`, 'exclusiveAi'],
    ['two lots', `01${GTIN}10A${GS}10B`, 'duplicateAi'],
  ])('refuses %s', (_, input, code) => {
    rejects(() => parseElementString(input, opts), code);
  });

  it('accepts an AI repeated with the same data, and measures of different kinds together', () => {
    expect(pairs(parseElementString(`01${GTIN}10A${GS}01${GTIN}10A`, opts))).toEqual([
      ['01', GTIN],
      ['10', 'A'],
    ]);
    expect(pairs(parseElementString(`01${GTIN}31030012503303001400`, opts))).toHaveLength(3);
  });

  it('applies the pairing rules when generating too', () => {
    rejects(() => encodeElementString({ gtin: GTIN, contentGtin: '10614141000415', count: 4 }, opts), 'exclusiveAi');
    rejects(() => encodeElementString({ contentGtin: '10614141000415', count: 4 }, opts), 'missingAi');
    rejects(() => encodeElementString({ gtin: GTIN, batch: 'A', elements: [{ ai: '10', value: 'B' }] }, opts), 'duplicateAi');
  });
});

describe('generating any AI', () => {
  it('[Q.LBL] puts predefined-length AIs first and a separator after each variable one except the last', () => {
    const data = {
      gtin: GTIN,
      batch: 'L1',
      elements: [
        { ai: '240', value: 'REF-9' },
        { ai: '7003', value: '2703011430' },
        { ai: '3103', value: '001250' },
      ],
    };
    expect(encodeElementString(data, opts)).toBe(`01${GTIN}3103001250${'7003'}2703011430${GS}10L1${GS}240REF-9`);
    expect(formatHumanReadable(data, opts)).toBe(`(01)${GTIN}(3103)001250(7003)2703011430(10)L1(240)REF-9`);
    const read = parseElementString(encodeElementString(data, opts), opts);
    expect(read).toMatchObject({ gtin: GTIN, batch: 'L1', expiryDateTime: '2027-03-01T14:30' });
    expect(encodeElementString(read, opts)).toBe(encodeElementString(data, opts));
  });

  it('reads the human-readable form of three- and four-digit AIs', () => {
    expect(pairs(parseHumanReadable(`(01)${GTIN}(3103)001250(240)REF-9`, opts))).toEqual([
      ['01', GTIN],
      ['3103', '001250'],
      ['240', 'REF-9'],
    ]);
  });

  it('refuses unknown fields and AIs, and values an AI does not allow', () => {
    rejects(() => encodeElementString({ gtin: GTIN, lot: 'X' } as Gs1Data, opts), 'unknownField');
    rejects(() => encodeElementString({ gtin: GTIN, elements: [{ ai: '89', value: 'X' }] }, opts), 'unknownAi');
    rejects(() => encodeElementString({ gtin: GTIN, batch: 'ÄBC' }, opts), 'characterSet');
    rejects(() => encodeElementString({ gtin: GTIN, variableCount: 1.5 }, opts), 'numeric');
    rejects(() => encodeElementString({ gtin: GTIN, elements: [{ ai: '3103', value: '1250' }] }, opts), 'length');
    rejects(() => formatHumanReadable({ gtin: '09506000134353' }, opts), 'checkDigit');
    rejects(() => parseHumanReadable('(01)09506000134353(10)LOT-1', opts), 'checkDigit');
    rejects(() => parseHumanReadable('01 09506000134352', opts), 'syntax');
  });
});
