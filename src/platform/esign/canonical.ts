import { sha256Hex } from '../crypto.js';
import { Decimal } from '../decimal.js';

/**
 * Stable JSON for hashing signed content: object keys sorted, decimals as their exact text,
 * times as ISO 8601 UTC, no undefined members. The same record always gives the same bytes,
 * whatever the order its fields were read in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Decimal.isDecimal(value)) return (value as Decimal).toFixed();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('cannot sign a non-finite number');
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  return value;
}

/** SHA-256 of a record's canonical content, bound to its type and id so it cannot be moved. */
export function contentHash(entity: string, id: string, content: Record<string, unknown>): string {
  return sha256Hex(canonicalJson({ entity, id, content }));
}
