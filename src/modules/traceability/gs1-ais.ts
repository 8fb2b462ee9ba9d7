/**
 * Every GS1 Application Identifier, as the GS1 Barcode Syntax Dictionary and the General
 * Specifications define it: data title, the components of its data (character set, length,
 * content rule), whether it needs no FNC1 after it (predefined length), its mandatory and invalid
 * companions, and its role in a GS1 Digital Link URI (primary key with ordered qualifiers, or data
 * attribute of the query string).
 */
import type { Gs1Lint } from './gs1-lint.js';

/** N digits, X GS1 character set 82, Y character set 39, Z base64url (URL- and filename-safe). */
export type Gs1Charset = 'N' | 'X' | 'Y' | 'Z';

export interface Gs1Component {
  charset: Gs1Charset;
  min: number;
  max: number;
  /** Optional components may be left out once the data ends; none mandatory follows one. */
  optional: boolean;
  lints: readonly Gs1Lint[];
}

export interface Gs1AiDefinition {
  ai: string;
  /** The GS1 data title, e.g. "BATCH/LOT". */
  title: string;
  components: readonly Gs1Component[];
  /** Predefined length: no FNC1 (group separator) follows it in a barcode. */
  predefined: boolean;
  /** Length of the data when it cannot vary, else undefined. */
  fixedLength: number | undefined;
  /** The AI's last digit says how many digits of the (last) number follow the decimal point. */
  decimalPoint: boolean;
  /**
   * At least one group must be present in full. Entries are AIs or patterns where "n" stands for
   * any digit ("31nn"). Empty when the AI stands alone.
   */
  requires: readonly (readonly string[])[];
  /** AIs or patterns that must not appear with it (an AI never excludes itself). */
  excludes: readonly string[];
  /** May be carried as a Digital Link query attribute. */
  dlAttribute: boolean;
  /** When a Digital Link primary key: its alternative sequences of optional qualifiers, in order. */
  dlQualifiers: readonly (readonly string[])[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const component = (charset: Gs1Charset, min: number, max: number, lints: Gs1Lint[]): Gs1Component => ({
  charset,
  min,
  max,
  optional: false,
  lints,
});
/** Exactly `length` digits. */
const N = (length: number, ...lints: Gs1Lint[]) => component('N', length, length, lints);
/** 1 to `max` digits. */
const Nv = (max: number, ...lints: Gs1Lint[]) => component('N', 1, max, lints);
const X = (length: number, ...lints: Gs1Lint[]) => component('X', length, length, lints);
const Xv = (max: number, ...lints: Gs1Lint[]) => component('X', 1, max, lints);
const Yv = (max: number, ...lints: Gs1Lint[]) => component('Y', 1, max, lints);
const Zv = (max: number, ...lints: Gs1Lint[]) => component('Z', 1, max, lints);
const optional = (c: Gs1Component): Gs1Component => ({ ...c, optional: true });

interface Rules {
  /** Predefined length ("*"). */
  pre?: boolean;
  /** Digital Link data attribute ("?"). */
  attr?: boolean;
  /** Alternative groups, each "AI+AI…". */
  req?: string[];
  ex?: string[];
  /** Digital Link primary key: qualifier sequences (each "AI,AI…"); [] for a key without qualifiers. */
  key?: string[];
  decimal?: boolean;
}

function define(ai: string, title: string, components: Gs1Component[], rules: Rules = {}): Gs1AiDefinition {
  const fixed = components.every((c) => !c.optional && c.min === c.max);
  return {
    ai,
    title,
    components,
    predefined: rules.pre ?? false,
    fixedLength: fixed ? components.reduce((sum, c) => sum + c.max, 0) : undefined,
    decimalPoint: rules.decimal ?? false,
    requires: (rules.req ?? []).map((group) => group.split('+')),
    excludes: rules.ex ?? [],
    dlAttribute: rules.attr ?? false,
    dlQualifiers: rules.key?.map((sequence) => (sequence === '' ? [] : sequence.split(','))),
  };
}

/** One definition per AI from `first` to `last` (same prefix), the last digit filled into the title by `title(digit)`. */
function series(
  first: string,
  last: string,
  title: (digit: number) => string,
  components: Gs1Component[],
  rules: Rules,
): Gs1AiDefinition[] {
  const prefix = first.slice(0, -1);
  const out: Gs1AiDefinition[] = [];
  for (let d = Number(first.at(-1)); d <= Number(last.at(-1)); d++) out.push(define(prefix + d, title(d), components, rules));
  return out;
}

const TRADE_ITEM = ['01', '02', '03', '8006', '8026'];
const TRADE_ITEM_DATE = { pre: true, attr: true, req: TRADE_ITEM };
const TRADE_ITEM_ATTR = { attr: true, req: TRADE_ITEM };
const SHIP_TO = { attr: true, req: ['00'] };
const PRICED_QUANTITY = ['30', '31nn', '32nn', '35nn', '36nn'];

/**
 * Trade measures 31nn–36nn: six digits, the AI's last digit placing the decimal point. Trade
 * item measures need (01) or (02); logistic measures need (00) or (01).
 */
const MEASURES: [prefix: string, title: string, requires: string[]][] = [
  ['310', 'NET WEIGHT (kg)', ['01', '02']],
  ['311', 'LENGTH (m)', ['01', '02']],
  ['312', 'WIDTH (m)', ['01', '02']],
  ['313', 'HEIGHT (m)', ['01', '02']],
  ['314', 'AREA (m²)', ['01', '02']],
  ['315', 'NET VOLUME (l)', ['01', '02']],
  ['316', 'NET VOLUME (m³)', ['01', '02']],
  ['320', 'NET WEIGHT (lb)', ['01', '02']],
  ['321', 'LENGTH (in)', ['01', '02']],
  ['322', 'LENGTH (ft)', ['01', '02']],
  ['323', 'LENGTH (yd)', ['01', '02']],
  ['324', 'WIDTH (in)', ['01', '02']],
  ['325', 'WIDTH (ft)', ['01', '02']],
  ['326', 'WIDTH (yd)', ['01', '02']],
  ['327', 'HEIGHT (in)', ['01', '02']],
  ['328', 'HEIGHT (ft)', ['01', '02']],
  ['329', 'HEIGHT (yd)', ['01', '02']],
  ['330', 'GROSS WEIGHT (kg)', ['00', '01']],
  ['331', 'LENGTH (m), log', ['00', '01']],
  ['332', 'WIDTH (m), log', ['00', '01']],
  ['333', 'HEIGHT (m), log', ['00', '01']],
  ['334', 'AREA (m²), log', ['00', '01']],
  ['335', 'VOLUME (l), log', ['00', '01']],
  ['336', 'VOLUME (m³), log', ['00', '01']],
  ['337', 'KG PER m²', ['01']],
  ['340', 'GROSS WEIGHT (lb)', ['00', '01']],
  ['341', 'LENGTH (in), log', ['00', '01']],
  ['342', 'LENGTH (ft), log', ['00', '01']],
  ['343', 'LENGTH (yd), log', ['00', '01']],
  ['344', 'WIDTH (in), log', ['00', '01']],
  ['345', 'WIDTH (ft), log', ['00', '01']],
  ['346', 'WIDTH (yd), log', ['00', '01']],
  ['347', 'HEIGHT (in), log', ['00', '01']],
  ['348', 'HEIGHT (ft), log', ['00', '01']],
  ['349', 'HEIGHT (yd), log', ['00', '01']],
  ['350', 'AREA (in²)', ['01', '02']],
  ['351', 'AREA (ft²)', ['01', '02']],
  ['352', 'AREA (yd²)', ['01', '02']],
  ['353', 'AREA (in²), log', ['00', '01']],
  ['354', 'AREA (ft²), log', ['00', '01']],
  ['355', 'AREA (yd²), log', ['00', '01']],
  ['356', 'NET WEIGHT (tr oz)', ['01', '02']],
  ['357', 'NET VOLUME (oz)', ['01', '02']],
  ['360', 'NET VOLUME (qt (US))', ['01', '02']],
  ['361', 'NET VOLUME (gal.)', ['01', '02']],
  ['362', 'VOLUME (qt (US)), log', ['00', '01']],
  ['363', 'VOLUME (gal (US)), log', ['00', '01']],
  ['364', 'NET VOLUME (in³)', ['01', '02']],
  ['365', 'NET VOLUME (ft³)', ['01', '02']],
  ['366', 'NET VOLUME (yd³)', ['01', '02']],
  ['367', 'VOLUME (in³), log', ['00', '01']],
  ['368', 'VOLUME (ft³), log', ['00', '01']],
  ['369', 'VOLUME (yd³), log', ['00', '01']],
];

const countries = (extra: number) => [N(3, 'iso3166'), ...Array.from({ length: extra }, () => optional(N(3, 'iso3166')))];

// ---------------------------------------------------------------------------------------------
// The table, in lexical order of AI

export const GS1_AIS: readonly Gs1AiDefinition[] = [
  define('00', 'SSCC', [N(18, 'csum')], { pre: true, attr: true, key: [''] }),
  define('01', 'GTIN', [N(14, 'csum')], { pre: true, attr: true, ex: ['255', '37'], key: ['22,10,21', '235'] }),
  define('02', 'CONTENT', [N(14, 'csum')], { pre: true, attr: true, ex: ['01', '03'], req: ['37'] }),
  define('03', 'MTO GTIN', [N(14, 'csum')], { pre: true, ex: ['01', '02', '37', '235'] }),
  define('10', 'BATCH/LOT', [Xv(20)], TRADE_ITEM_ATTR),
  define('11', 'PROD DATE', [N(6, 'yymmd0')], TRADE_ITEM_DATE),
  define('12', 'DUE DATE', [N(6, 'yymmd0')], { pre: true, attr: true, req: ['8020'] }),
  define('13', 'PACK DATE', [N(6, 'yymmd0')], TRADE_ITEM_DATE),
  define('15', 'BEST BEFORE or BEST BY', [N(6, 'yymmd0')], TRADE_ITEM_DATE),
  define('16', 'SELL BY', [N(6, 'yymmd0')], TRADE_ITEM_DATE),
  define('17', 'USE BY or EXPIRY', [N(6, 'yymmd0')], { pre: true, attr: true, req: ['01', '02', '03', '255', '8006', '8026'] }),
  define('20', 'VARIANT', [N(2)], TRADE_ITEM_DATE),
  define('21', 'SERIAL', [Xv(20)], { req: ['01', '03', '8006'], ex: ['235'] }),
  define('22', 'CPV', [Xv(20)], { req: ['01'] }),
  define('235', 'TPX', [Xv(28)], { req: ['01'] }),
  define('240', 'ADDITIONAL ID', [Xv(30)], TRADE_ITEM_ATTR),
  define('241', 'CUST. PART No.', [Xv(30)], TRADE_ITEM_ATTR),
  define('242', 'MTO VARIANT', [Nv(6)], { attr: true, req: ['01', '02', '8006', '8026'] }),
  define('243', 'PCN', [Xv(20)], { attr: true, req: ['01', '03'] }),
  define('250', 'SECONDARY SERIAL', [Xv(30)], { attr: true, req: ['01+21', '03+21', '8006+21'] }),
  define('251', 'REF. TO SOURCE', [Xv(30)], { attr: true, req: ['01', '03', '8006'] }),
  define('253', 'GDTI', [N(13, 'csum'), optional(Xv(17))], { attr: true, key: [''] }),
  define('254', 'GLN EXTENSION COMPONENT', [Xv(20)], { req: ['414'] }),
  define('255', 'GCN', [N(13, 'csum'), optional(Nv(12))], { attr: true, key: [''], ex: ['01', '02', '415', '8006', '8020', '8026'] }),
  define('30', 'VAR. COUNT', [Nv(8)], { attr: true, req: ['01', '02'] }),
  ...MEASURES.flatMap(([prefix, title, req]) =>
    series(`${prefix}0`, `${prefix}5`, () => title, [N(6)], { pre: true, attr: true, req, ex: [`${prefix}n`], decimal: true }),
  ),
  define('37', 'COUNT', [Nv(8)], { attr: true, req: ['00+02', '00+8026'] }),
  ...series('3900', '3909', () => 'AMOUNT', [Nv(15)], {
    attr: true,
    req: ['255', '8020'],
    ex: ['390n', '391n', '394n', '8111'],
    decimal: true,
  }),
  ...series('3910', '3919', () => 'AMOUNT', [N(3, 'iso4217'), Nv(15)], { attr: true, req: ['8020'], ex: ['391n'], decimal: true }),
  ...series('3920', '3929', () => 'PRICE', [Nv(15)], {
    attr: true,
    req: PRICED_QUANTITY.map((q) => `01+${q}`),
    ex: ['392n', '393n'],
    decimal: true,
  }),
  ...series('3930', '3939', () => 'PRICE', [N(3, 'iso4217'), Nv(15)], { attr: true, req: PRICED_QUANTITY, ex: ['393n'], decimal: true }),
  ...series('3940', '3943', () => 'PRCNT OFF', [N(4)], { attr: true, req: ['255'], ex: ['394n', '8111'], decimal: true }),
  ...series('3950', '3955', () => 'PRICE/UoM', [N(6)], {
    attr: true,
    req: PRICED_QUANTITY,
    ex: ['392n', '393n', '395n', '8005'],
    decimal: true,
  }),
  define('400', 'ORDER NUMBER', [Xv(30)], { attr: true }),
  define('401', 'GINC', [Xv(30)], { attr: true, key: [''] }),
  define('402', 'GSIN', [N(17, 'csum')], { attr: true, key: [''] }),
  define('403', 'ROUTE', [Xv(30)], { attr: true, req: ['00'] }),
  define('410', 'SHIP TO LOC', [N(13, 'csum')], { pre: true, attr: true }),
  define('411', 'BILL TO', [N(13, 'csum')], { pre: true, attr: true }),
  define('412', 'PURCHASE FROM', [N(13, 'csum')], { pre: true, attr: true }),
  define('413', 'SHIP FOR LOC', [N(13, 'csum')], { pre: true, attr: true }),
  define('414', 'LOC No.', [N(13, 'csum')], { pre: true, attr: true, key: ['254', '7040'] }),
  define('415', 'PAY TO', [N(13, 'csum')], { pre: true, attr: true, req: ['8020'], key: ['8020'] }),
  define('416', 'PROD/SERV LOC', [N(13, 'csum')], { pre: true, attr: true }),
  define('417', 'PARTY', [N(13, 'csum')], { pre: true, attr: true, key: ['7040'] }),
  define('420', 'SHIP TO POST', [Xv(20)], { attr: true, ex: ['421'] }),
  define('421', 'SHIP TO POST', [N(3, 'iso3166'), Xv(9)], { attr: true, ex: ['4307'] }),
  define('422', 'ORIGIN', [N(3, 'iso3166')], { attr: true, req: TRADE_ITEM, ex: ['426'] }),
  define('423', 'COUNTRY - INITIAL PROCESS', countries(4), { attr: true, req: ['01', '02', '03'], ex: ['426'] }),
  define('424', 'COUNTRY - PROCESS', [N(3, 'iso3166')], { attr: true, req: ['01', '02', '03'], ex: ['426'] }),
  define('425', 'COUNTRY - DISASSEMBLY', countries(4), { attr: true, req: ['01', '02', '03'], ex: ['426'] }),
  define('426', 'COUNTRY - FULL PROCESS', [N(3, 'iso3166')], { attr: true, req: ['01', '02', '03'] }),
  define('427', 'ORIGIN SUBDIVISION', [Xv(3)], { attr: true, req: ['01+422', '02+422', '03+422'] }),
  define('4300', 'SHIP TO COMP', [Xv(35, 'pcenc')], SHIP_TO),
  define('4301', 'SHIP TO NAME', [Xv(35, 'pcenc')], SHIP_TO),
  define('4302', 'SHIP TO ADD1', [Xv(70, 'pcenc')], SHIP_TO),
  define('4303', 'SHIP TO ADD2', [Xv(70, 'pcenc')], { attr: true, req: ['4302'] }),
  define('4304', 'SHIP TO SUB', [Xv(70, 'pcenc')], SHIP_TO),
  define('4305', 'SHIP TO LOC', [Xv(70, 'pcenc')], SHIP_TO),
  define('4306', 'SHIP TO REG', [Xv(70, 'pcenc')], SHIP_TO),
  define('4307', 'SHIP TO COUNTRY', [X(2, 'iso3166alpha2')], SHIP_TO),
  define('4308', 'SHIP TO PHONE', [Xv(30)], SHIP_TO),
  define('4309', 'SHIP TO GEO', [N(10, 'latitude'), N(10, 'longitude')], SHIP_TO),
  define('4310', 'RTN TO COMP', [Xv(35, 'pcenc')], SHIP_TO),
  define('4311', 'RTN TO NAME', [Xv(35, 'pcenc')], SHIP_TO),
  define('4312', 'RTN TO ADD1', [Xv(70, 'pcenc')], SHIP_TO),
  define('4313', 'RTN TO ADD2', [Xv(70, 'pcenc')], { attr: true, req: ['4312'] }),
  define('4314', 'RTN TO SUB', [Xv(70, 'pcenc')], SHIP_TO),
  define('4315', 'RTN TO LOC', [Xv(70, 'pcenc')], SHIP_TO),
  define('4316', 'RTN TO REG', [Xv(70, 'pcenc')], SHIP_TO),
  define('4317', 'RTN TO COUNTRY', [X(2, 'iso3166alpha2')], SHIP_TO),
  define('4318', 'RTN TO POST', [Xv(20)], SHIP_TO),
  define('4319', 'RTN TO PHONE', [Xv(30)], SHIP_TO),
  define('4320', 'SRV DESCRIPTION', [Xv(35, 'pcenc')], SHIP_TO),
  define('4321', 'DANGEROUS GOODS', [N(1, 'yesno')], SHIP_TO),
  define('4322', 'AUTH TO LEAVE', [N(1, 'yesno')], SHIP_TO),
  define('4323', 'SIG REQUIRED', [N(1, 'yesno')], SHIP_TO),
  define('4324', 'NOT BEF DEL DT', [N(6, 'yymmd0'), N(4, 'hhmi')], SHIP_TO),
  define('4325', 'NOT AFT DEL DT', [N(6, 'yymmd0'), N(4, 'hhmi')], SHIP_TO),
  define('4326', 'REL DATE', [N(6, 'yymmdd')], SHIP_TO),
  define('4330', 'MAX TEMP F.', [N(6), optional(X(1, 'hyphen'))], { ...SHIP_TO, ex: ['4331'] }),
  define('4331', 'MAX TEMP C.', [N(6), optional(X(1, 'hyphen'))], { ...SHIP_TO, ex: ['4330'] }),
  define('4332', 'MIN TEMP F.', [N(6), optional(X(1, 'hyphen'))], { ...SHIP_TO, ex: ['4333'] }),
  define('4333', 'MIN TEMP C.', [N(6), optional(X(1, 'hyphen'))], { ...SHIP_TO, ex: ['4332'] }),
  define('7001', 'NSN', [N(13)], { attr: true, req: ['01', '02', '8006', '8026'] }),
  define('7002', 'MEAT CUT', [Xv(30)], { attr: true, req: ['01', '02'] }),
  define('7003', 'EXPIRY TIME', [N(6, 'yymmdd'), N(4, 'hhmi')], { attr: true, req: ['01', '02', '03'] }),
  define('7004', 'ACTIVE POTENCY', [Nv(4)], { attr: true, req: ['01+10', '03+10'] }),
  define('7005', 'CATCH AREA', [Xv(12)], { attr: true, req: ['01', '02'] }),
  define('7006', 'FIRST FREEZE DATE', [N(6, 'yymmdd')], { attr: true, req: ['01', '02'] }),
  define('7007', 'HARVEST DATE', [N(6, 'yymmdd'), optional(N(6, 'yymmdd'))], { attr: true, req: ['01', '02'] }),
  define('7008', 'AQUATIC SPECIES', [Xv(3)], { attr: true, req: ['01', '02'] }),
  define('7009', 'FISHING GEAR TYPE', [Xv(10)], { attr: true, req: ['01', '02'] }),
  define('7010', 'PROD METHOD', [Xv(2)], { attr: true, req: ['01', '02', '03'] }),
  define('7011', 'TEST BY DATE', [N(6, 'yymmdd'), optional(N(4, 'hhmi'))], { attr: true, req: ['01', '02', '03'] }),
  define('7020', 'REFURB LOT', [Xv(20)], { attr: true, req: ['01+416', '03+416', '8006+416'] }),
  define('7021', 'FUNC STAT', [Xv(20)], { attr: true, req: ['01', '03', '8006'] }),
  define('7022', 'REV STAT', [Xv(20)], { attr: true, req: ['01+7021', '03+7021', '8006+7021'] }),
  define('7023', 'GIAI - ASSEMBLY', [Xv(30)], { attr: true }),
  ...series('7030', '7039', (d) => `PROCESSOR # ${d}`, [N(3, 'iso3166999'), Xv(27)], { attr: true, req: ['01', '02'] }),
  define('7040', 'UIC+EXT', [N(1), X(1), X(1), X(1, 'importeridx')]),
  define('7041', 'UFRGT UNIT TYPE', [Xv(4, 'packagetype')], { req: ['00'] }),
  define('710', 'NHRN PZN', [Xv(20)], { attr: true, req: ['01'] }),
  define('711', 'NHRN CIP', [Xv(20)], { attr: true, req: ['01'] }),
  define('712', 'NHRN CN', [Xv(20)], { attr: true, req: ['01'] }),
  define('713', 'NHRN DRN', [Xv(20)], { attr: true, req: ['01'] }),
  define('714', 'NHRN AIM', [Xv(20)], { attr: true, req: ['01'] }),
  define('715', 'NHRN NDC', [Xv(20)], { attr: true, req: ['01'] }),
  define('716', 'NHRN AIC', [Xv(20)], { attr: true, req: ['01'] }),
  define('717', 'NHRN SRN', [Xv(20)], { attr: true, req: ['01'] }),
  ...series('7230', '7239', (d) => `CERT # ${d + 1}`, [X(2), Xv(28)], { attr: true, req: ['01', '8004'] }),
  define('7240', 'PROTOCOL', [Xv(20)], { attr: true, req: ['01', '8006'], ex: ['03'] }),
  define('7241', 'AIDC MEDIA TYPE', [N(2, 'mediatype')], { attr: true, req: ['8017', '8018'] }),
  define('7242', 'VCN', [Xv(25)], { attr: true, req: ['8017', '8018'] }),
  define('7250', 'DOB', [N(8, 'yyyymmdd')], { attr: true, req: ['8018'], ex: ['7251'] }),
  define('7251', 'DOB TIME', [N(8, 'yyyymmdd'), N(4, 'hhmi')], { attr: true, req: ['8018'], ex: ['7250'] }),
  define('7252', 'BIO SEX', [N(1, 'iso5218')], { attr: true, req: ['8018'] }),
  define('7253', 'FAMILY NAME', [Xv(40, 'pcenc')], { attr: true, req: ['8017', '8018'], ex: ['7256', '7259'] }),
  define('7254', 'GIVEN NAME', [Xv(40, 'pcenc')], { attr: true, req: ['8017', '8018'], ex: ['7256', '7259'] }),
  define('7255', 'SUFFIX', [Xv(10)], { attr: true, req: ['8017', '8018'], ex: ['7256', '7259'] }),
  define('7256', 'FULL NAME', [Xv(90, 'pcenc')], { attr: true, req: ['8017', '8018'] }),
  define('7257', 'PERSON ADDR', [Xv(70, 'pcenc')], { attr: true, req: ['8018'] }),
  define('7258', 'BIRTH SEQUENCE', [X(3, 'posinseqslash')], { attr: true, req: ['8018+7259'] }),
  define('7259', 'BABY', [Xv(40, 'pcenc')], { attr: true, req: ['8018'], ex: ['7256'] }),
  define('8001', 'DIMENSIONS', [N(4, 'nonzero'), N(5, 'nonzero'), N(3, 'nonzero'), N(1, 'winding'), N(1)], { attr: true, req: ['01'] }),
  define('8002', 'CMT No.', [Xv(20)], { attr: true }),
  define('8003', 'GRAI', [N(1, 'zero'), N(13, 'csum'), optional(Xv(16))], { attr: true, key: [''] }),
  define('8004', 'GIAI', [Xv(30)], { attr: true, key: ['7040'] }),
  define('8005', 'PRICE PER UNIT', [N(6)], { attr: true, req: ['01', '02'] }),
  define('8006', 'ITIP', [N(14, 'csum'), N(4, 'pieceoftotal')], { attr: true, ex: ['01', '03', '37'], key: ['22,10,21'] }),
  define('8007', 'IBAN', [Xv(34, 'iban')], { attr: true, req: ['415'] }),
  define('8008', 'PROD TIME', [N(6, 'yymmdd'), N(2, 'hh'), optional(N(2, 'mi')), optional(N(2, 'ss'))], {
    attr: true,
    req: ['01', '02', '03'],
  }),
  define('8009', 'OPTSEN', [Xv(50)], { attr: true, req: ['00', '01', '03'] }),
  define('8010', 'CPID', [Yv(30)], { attr: true, key: ['8011'] }),
  define('8011', 'CPID SERIAL', [Nv(12, 'nozeroprefix')], { req: ['8010'] }),
  define('8012', 'VERSION', [Xv(20)], { attr: true, req: ['01', '03', '8006'] }),
  define('8013', 'GMN', [Xv(25, 'csumalpha')], { attr: true, key: [''] }),
  define('8014', 'MUDI', [Xv(25, 'csumalpha', 'hasnondigit')], { req: ['01'] }),
  define('8017', 'GSRN - PROVIDER', [N(18, 'csum')], { attr: true, ex: ['8018'], key: ['8019'] }),
  define('8018', 'GSRN - RECIPIENT', [N(18, 'csum')], { attr: true, ex: ['8017'], key: ['8019'] }),
  define('8019', 'SRIN', [Nv(10)], { req: ['8017', '8018'] }),
  define('8020', 'REF No.', [Xv(25)], { req: ['415'] }),
  define('8026', 'ITIP CONTENT', [N(14, 'csum'), N(4, 'pieceoftotal')], { attr: true, req: ['37'], ex: ['02', '03', '8006'] }),
  define('8030', 'DIGSIG', [Zv(90)], {
    attr: true,
    req: ['00', '01+21', '03+21', '253', '255', '8003', '8004', '8006+21', '8010+8011', '8017', '8018'],
  }),
  define('8040', 'IMEI', [N(15)], { req: ['01+21'] }),
  define('8041', 'IMEI2', [N(15)], { req: ['01+21+8040'] }),
  define('8042', 'ESIM', [N(32)], { req: ['01+21+8040'] }),
  define('8043', 'PSIM', [N(18), optional(Nv(2))], { req: ['01+21+8040'] }),
  define('8110', 'COUPON', [Xv(70, 'couponcode')], { attr: true }),
  define('8111', 'POINTS', [N(4)], { attr: true, req: ['255'] }),
  define('8112', 'COUPON (PAPERLESS)', [Xv(70, 'couponposoffer')], { attr: true }),
  define('8200', 'PRODUCT URL', [Xv(70)], { req: ['01'] }),
  define('90', 'INTERNAL', [Xv(30)], { attr: true }),
  ...series('91', '99', () => 'INTERNAL', [Xv(90)], { attr: true }),
];

const BY_AI = new Map(GS1_AIS.map((d) => [d.ai, d]));

/** The definition of one AI, if GS1 has defined it. */
export function gs1Ai(ai: string): Gs1AiDefinition | undefined {
  return BY_AI.get(ai);
}

/** The AI that starts `text` at `at`: AIs are prefix-free, so at most one of 2, 3 or 4 digits matches. */
export function gs1AiAt(text: string, at: number): Gs1AiDefinition | undefined {
  for (const length of [2, 3, 4]) {
    const definition = BY_AI.get(text.slice(at, at + length));
    if (definition) return definition;
  }
  return undefined;
}

/** Whether an AI matches an entry of a req/ex list, where "n" stands for any digit. */
export function aiMatches(ai: string, pattern: string): boolean {
  return ai.length === pattern.length && [...pattern].every((c, i) => c === 'n' || c === ai[i]);
}
