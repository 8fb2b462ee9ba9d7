import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict } from '../../platform/errors.js';

/**
 * Serial Shipping Container Codes (GS1 General Specifications §2.2.1): extension digit + GS1
 * company prefix + serial reference, 17 digits, then the mod-10 check digit. The serial
 * references come from the tenant's counter, so an SSCC is never issued twice in a tenant (the
 * cartons' unique key is the last line of defence).
 */

/** GS1 mod-10 check digit: weights 3 and 1 alternating from the right. */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

export function ssccOf(extension: number, companyPrefix: string, serialReference: bigint): string {
  const refDigits = 16 - companyPrefix.length;
  const body = `${extension}${companyPrefix}${serialReference.toString().padStart(refDigits, '0')}`;
  if (body.length !== 17) throw new Error(`serial reference ${serialReference} does not fit ${refDigits} digits`);
  return body + gs1CheckDigit(body);
}

export const isSscc = (code: string): boolean => /^\d{18}$/.test(code) && gs1CheckDigit(code.slice(0, 17)) === Number(code[17]);

export interface SalesSettings {
  gs1CompanyPrefix: string;
  ssccExtension: number;
}

export async function salesSettings(tx: Tx): Promise<SalesSettings | undefined> {
  const { rows } = await tx.query<SalesSettings>(
    sql`SELECT gs1_company_prefix AS "gs1CompanyPrefix", sscc_extension AS "ssccExtension" FROM sales_settings`,
  );
  return rows[0];
}

export async function setSalesSettings(tx: Tx, s: SalesSettings): Promise<SalesSettings> {
  await tx.query(sql`INSERT INTO sales_settings (gs1_company_prefix, sscc_extension) VALUES (${s.gs1CompanyPrefix}, ${s.ssccExtension})
    ON CONFLICT (tenant_id) DO UPDATE SET gs1_company_prefix = excluded.gs1_company_prefix, sscc_extension = excluded.sscc_extension`);
  return s;
}

/** The next `count` SSCCs of the tenant: one counter update, locked until the transaction ends. */
export async function nextSsccs(tx: Tx, count: number): Promise<string[]> {
  const { rows } = await tx.query<{ prefix: string; extension: number; last: string }>(sql`UPDATE sales_settings
      SET last_sscc_serial = last_sscc_serial + ${count}
    RETURNING gs1_company_prefix AS prefix, sscc_extension AS extension, last_sscc_serial::text AS last`);
  const row = rows[0];
  if (!row) {
    throw new Conflict('no GS1 company prefix is set for shipping labels: set it in the sales settings first', {
      code: 'error.sales.sscc.noPrefix',
    });
  }
  const last = BigInt(row.last);
  const capacity = 10n ** BigInt(16 - row.prefix.length);
  if (last >= capacity) {
    throw new Conflict(`the SSCC serial references of company prefix ${row.prefix} are used up`, {
      code: 'error.sales.sscc.exhausted',
      params: { prefix: row.prefix },
    });
  }
  return Array.from({ length: count }, (_, i) => ssccOf(row.extension, row.prefix, last - BigInt(count) + 1n + BigInt(i)));
}
