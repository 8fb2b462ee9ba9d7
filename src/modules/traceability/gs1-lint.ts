/**
 * Content rules of GS1 AI data components ("linters" in the GS1 Barcode Syntax Dictionary): check
 * digits, dates and times, code values. Each rule answers whether one component's text is valid;
 * the parser turns a refusal into the `error.gs1.*` code of the rule's kind.
 */
import { hasValidCheckDigit } from '../masterdata/index.js';

export const GS1_LINTS = [
  'csum',
  'csumalpha',
  'yymmd0',
  'yymmdd',
  'yyyymmdd',
  'hhmi',
  'hh',
  'mi',
  'ss',
  'iso3166',
  'iso3166999',
  'iso3166alpha2',
  'iso4217',
  'iso5218',
  'iban',
  'pcenc',
  'hyphen',
  'yesno',
  'zero',
  'nonzero',
  'winding',
  'pieceoftotal',
  'mediatype',
  'importeridx',
  'nozeroprefix',
  'hasnondigit',
  'posinseqslash',
  'latitude',
  'longitude',
  'couponcode',
  'couponposoffer',
  'packagetype',
] as const;
export type Gs1Lint = (typeof GS1_LINTS)[number];

/** GS1 AI encodable character set 82, in the order that gives each character its value for check characters. */
export const CSET_82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
/** Characters of the two check characters of a GMN (csumalpha). */
const CSET_32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Weights of the alphanumeric check character pair, applied from the last data character backwards. */
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83];

/** GS1 check character pair (General Specifications 7.9.5): the last two characters check the others. */
export function hasValidCheckPair(text: string): boolean {
  if (text.length < 3 || text.length - 2 > PRIMES.length) return false;
  let sum = 0;
  for (let i = text.length - 3, w = 0; i >= 0; i--, w++) {
    const value = CSET_82.indexOf(text[i]!);
    if (value < 0) return false;
    sum += value * PRIMES[w]!;
  }
  sum %= 1021;
  return text.slice(-2) === CSET_32[sum >> 5]! + CSET_32[sum & 31]!;
}

function isDay(year: number, month: number, day: number, dayZeroAllowed: boolean): boolean {
  if (month < 1 || month > 12) return false;
  if (day === 0) return dayZeroAllowed;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const two = (text: string, at: number) => Number(text.slice(at, at + 2));

/** YYMMDD: any year counts for the leap day, as the century is only known relative to the reading date. */
function isYymmdd(text: string, dayZeroAllowed: boolean): boolean {
  const yy = two(text, 0);
  // A 29 February is valid in YY when YY is a leap year in either candidate century; 00 is 2000.
  return isDay(yy === 0 ? 2000 : 2000 + yy, two(text, 2), two(text, 4), dayZeroAllowed);
}

/** IBAN (ISO 13616): country letters, two check digits, the account, mod 97 = 1. */
function isIban(text: string): boolean {
  if (!/^[A-Z]{2}\d{2}[0-9A-Z]{1,30}$/.test(text)) return false;
  const digits = (text.slice(4) + text.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

function isCountryAlpha2(text: string): boolean {
  if (!/^[A-Z]{2}$/.test(text)) return false;
  try {
    return regionNames.of(text) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Each rule's test. Rules without a test here need reference lists this module does not hold
 * (numeric ISO 3166 and ISO 4217 codes, UN/ECE package types, coupon structures): their
 * components are checked for length and character set only.
 */
const LINTS: Partial<Record<Gs1Lint, (text: string) => boolean>> = {
  csum: (t) => hasValidCheckDigit(t),
  csumalpha: hasValidCheckPair,
  yymmd0: (t) => isYymmdd(t, true),
  yymmdd: (t) => isYymmdd(t, false),
  yyyymmdd: (t) => isDay(Number(t.slice(0, 4)), two(t, 4), two(t, 6), false),
  hhmi: (t) => two(t, 0) <= 23 && two(t, 2) <= 59,
  hh: (t) => two(t, 0) <= 23,
  mi: (t) => two(t, 0) <= 59,
  ss: (t) => two(t, 0) <= 59,
  iso3166alpha2: isCountryAlpha2,
  iso5218: (t) => ['0', '1', '2', '9'].includes(t),
  iban: isIban,
  pcenc: (t) => !/%(?![0-9A-Fa-f]{2})/.test(t),
  hyphen: (t) => /^-+$/.test(t),
  yesno: (t) => t === '0' || t === '1',
  zero: (t) => /^0+$/.test(t),
  nonzero: (t) => !/^0+$/.test(t),
  winding: (t) => ['0', '1', '9'].includes(t),
  pieceoftotal: (t) => {
    const half = t.length / 2;
    const [piece, total] = [Number(t.slice(0, half)), Number(t.slice(half))];
    return piece >= 1 && total >= 1 && piece <= total;
  },
  mediatype: (t) => (Number(t) >= 1 && Number(t) <= 10) || Number(t) >= 80,
  importeridx: (t) => /^[-0-9A-Z_a-z]$/.test(t),
  nozeroprefix: (t) => t === '0' || !t.startsWith('0'),
  hasnondigit: (t) => /\D/.test(t),
  posinseqslash: (t) => {
    const match = /^([1-9])\/([1-9])$/.exec(t);
    return match !== null && Number(match[1]) <= Number(match[2]);
  },
  latitude: (t) => Number(t) <= 1_800_000_000,
  longitude: (t) => Number(t) <= 3_600_000_000,
};

/** The `error.gs1.*` code a refusal of each kind of rule answers with. */
export type LintFailure = 'checkDigit' | 'date' | 'time' | 'countryCode' | 'value';

export function lintFailureOf(lint: Gs1Lint): LintFailure {
  if (lint === 'csum' || lint === 'csumalpha' || lint === 'iban') return 'checkDigit';
  if (lint === 'yymmd0' || lint === 'yymmdd' || lint === 'yyyymmdd') return 'date';
  if (lint === 'hhmi' || lint === 'hh' || lint === 'mi' || lint === 'ss') return 'time';
  if (lint === 'iso3166alpha2') return 'countryCode';
  return 'value';
}

/** The first rule the text breaks, if any. */
export function brokenLint(lints: readonly Gs1Lint[], text: string): Gs1Lint | undefined {
  return lints.find((lint) => LINTS[lint]?.(text) === false);
}
