/**
 * GS1 Global Trade Item Numbers (GS1 General Specifications §3.2, §7.9): GTIN-8, GTIN-12,
 * GTIN-13 and GTIN-14, their mod-10 check digit, and normalisation to the 14-digit form used in
 * element string (01), Digital Link URIs and the database.
 */
import { BadRequest } from '../../platform/errors.js';

export const GTIN_LENGTHS = [8, 12, 13, 14] as const;
export type GtinLength = (typeof GTIN_LENGTHS)[number];

/**
 * GS1 mod-10 check digit of the digits before it: weights 3 and 1 alternating from the right,
 * the check digit is what brings the sum to a multiple of ten. The same rule serves every GS1 key
 * (GTIN, SSCC, GLN).
 */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  if (!/^\d+$/.test(digitsWithoutCheck)) throw new Error(`check digit needs digits, got ${JSON.stringify(digitsWithoutCheck)}`);
  let sum = 0;
  for (let i = digitsWithoutCheck.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += Number(digitsWithoutCheck[i]) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the digits end in their correct GS1 check digit. */
export function hasValidCheckDigit(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && gs1CheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

/** Appends the check digit to a GTIN body of 7, 11, 12 or 13 digits. */
export function completeGtin(body: string): string {
  if (!/^\d+$/.test(body) || !(GTIN_LENGTHS as readonly number[]).includes(body.length + 1)) {
    throw new BadRequest(`a GTIN body has 7, 11, 12 or 13 digits, got ${JSON.stringify(body)}`, {
      code: 'error.gtin.format',
      params: { gtin: body },
    });
  }
  return body + gs1CheckDigit(body);
}

export function isGtin(code: string): boolean {
  return /^(\d{8}|\d{12,14})$/.test(code) && !/^0+$/.test(code) && hasValidCheckDigit(code);
}

/**
 * Validates a GTIN of any length and returns it as GTIN-14 (left-padded with zeros), the form
 * to store and compare. Spaces are not tolerated: a scanned or typed GTIN is exactly its digits.
 */
export function toGtin14(code: string, field = 'gtin'): string {
  if (typeof code !== 'string' || !/^(\d{8}|\d{12,14})$/.test(code) || /^0+$/.test(code)) {
    throw new BadRequest(`${field} must be a GTIN of 8, 12, 13 or 14 digits, got ${JSON.stringify(code)}`, {
      code: 'error.gtin.format',
      params: { field, gtin: String(code) },
    });
  }
  if (!hasValidCheckDigit(code)) {
    const expected = gs1CheckDigit(code.slice(0, -1));
    throw new BadRequest(`${field} ${code} has check digit ${code.at(-1)}, expected ${expected}`, {
      code: 'error.gtin.checkDigit',
      params: { field, gtin: code, expected },
    });
  }
  return code.padStart(14, '0');
}
