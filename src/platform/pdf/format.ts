import { formatSignedAt, meaningLabelCode } from '../esign/manifest.js';
import type { Translator } from '../i18n.js';
import type { SignatureEntry, Text } from './model.js';

/** Turns the model's text into words of one language, with dates, times and decimals in its conventions. */
export interface Words {
  text(value: Text | null | undefined): string;
  /** An instant in the record's zone with its offset, e.g. "22 Nov 2026, 14:03:11 +08:00". */
  instant(iso: string): string;
  /** The manifestation line (Part 11 §11.50): printed name (login), local time with offset, meaning. */
  manifestation(signature: SignatureEntry): string;
}

export function wordsFor(tr: Translator, timeZone: string): Words {
  const locale = tr.language === 'zh-CN' ? 'zh-CN' : 'en-GB';
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const group = new Intl.NumberFormat(locale).formatToParts(1000).find((p) => p.type === 'group')?.value ?? ',';
  const decimalMark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';

  const date = (iso: string): string => {
    const ms = Date.parse(`${iso}T00:00:00Z`);
    return Number.isNaN(ms) ? iso : dateFormat.format(new Date(ms));
  };
  const instant = (iso: string): string => {
    const local = formatSignedAt(iso, timeZone); // "2026-11-22 14:03:11 +08:00"
    const [day = '', time = '', offset = ''] = local.split(' ');
    return `${date(day)} ${time} ${offset}`;
  };
  // Exact: the decimal's own digits, grouped, never through a binary float.
  const decimal = (value: string): string => {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
    if (!match) return value;
    const [, sign, whole = '', fraction] = match;
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
    return `${sign}${grouped}${fraction ? `${decimalMark}${fraction}` : ''}`;
  };

  const text = (value: Text | null | undefined): string => {
    if (value === null || value === undefined) return '—';
    if (typeof value === 'string') return value;
    if ('key' in value) {
      const params = Object.fromEntries(Object.entries(value.params ?? {}).map(([k, v]) => [k, text(v)]));
      return tr.has(value.key) ? String(tr.t(value.key, params)) : value.key;
    }
    if ('date' in value) return date(value.date);
    if ('dateTime' in value) return instant(value.dateTime);
    return value.unit ? `${decimal(value.decimal)} ${value.unit}` : decimal(value.decimal);
  };

  const manifestation = (s: SignatureEntry): string => {
    // The same words as the screens' manifestation (esign.manifestation), the time as the kernel writes it.
    const meaning = tr.has(meaningLabelCode(s.meaning)) ? String(tr.t(meaningLabelCode(s.meaning))) : s.meaning;
    return String(tr.t('esign.manifestation', { name: s.name, login: s.login, time: formatSignedAt(s.signedAt, timeZone), meaning }));
  };

  return { text, instant, manifestation };
}
