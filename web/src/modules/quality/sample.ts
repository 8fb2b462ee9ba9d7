// The extension is spelled out because the root type check reads this file as Node ESM through its test.
import { parseDecimal, typedDecimal } from '../../components/decimal.js';

/**
 * The sample arithmetic the screen shows while results are typed, the same rules as the server's
 * (inspection-model.ts, sampling.ts): limits inclusive, counts summed over characteristics and
 * capped at n, Ac accepts, Re rejects, and between them (reduced inspection) accepts and
 * reinstates normal. The server recomputes all of it on every save; nothing here is trusted.
 */

export type Verdict = 'accepted' | 'not-accepted' | 'accepted-reinstate-normal';

/** What a variable characteristic is measured against. */
export interface Limits {
  lowerLimit: string | null;
  upperLimit: string | null;
  unit: string | null;
}

/** Whether a measured value lies outside the characteristic's limits; undefined when it is not a number. */
export function outOfLimits(value: string, c: Pick<Limits, 'lowerLimit' | 'upperLimit'>): boolean | undefined {
  const v = parseDecimal(value);
  if (!v) return undefined;
  if (c.lowerLimit !== null && v.lt(c.lowerLimit)) return true;
  if (c.upperLimit !== null && v.gt(c.upperLimit)) return true;
  return false;
}

/** Nonconforming units among the values typed so far. */
export function nonconformingValues(values: readonly string[], c: Limits): number {
  return values.filter((v) => outOfLimits(v, c) === true).length;
}

export function verdictOf(plan: { accept: number; reject: number }, nonconforming: number): Verdict {
  if (nonconforming <= plan.accept) return 'accepted';
  if (nonconforming >= plan.reject) return 'not-accepted';
  return 'accepted-reinstate-normal';
}

export function totalNonconforming(counts: readonly number[], sampleSize: number): number {
  return Math.min(
    counts.reduce((a, b) => a + b, 0),
    sampleSize,
  );
}

/**
 * Values pasted from a spreadsheet column (or row): one per line, tab or semicolon; blanks
 * dropped, decimal commas read as points.
 */
export function splitPasted(text: string): string[] {
  return text
    .split(/[\r\n\t;]+/)
    .map((v) => v.trim())
    .filter(Boolean)
    .map(typedDecimal);
}

/** The limits of a variable as people write them: `4.05 – 4.15 mm`, `≥ 6 mm`. */
export function limitsText(c: Limits): string {
  const unit = c.unit ? ` ${c.unit}` : '';
  if (c.lowerLimit !== null && c.upperLimit !== null) return `${c.lowerLimit} – ${c.upperLimit}${unit}`;
  if (c.lowerLimit !== null) return `≥ ${c.lowerLimit}${unit}`;
  if (c.upperLimit !== null) return `≤ ${c.upperLimit}${unit}`;
  return '';
}
