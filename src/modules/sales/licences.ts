import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict, invalidFields, NotFound } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { getCustomer, ITEM_TYPES, type ItemType } from '../masterdata/index.js';
import type { LicenceKind } from './contract.js';

/**
 * Customers' licences to buy medical devices. A customer flagged as needing one may have an order
 * confirmed or goods shipped only while a licence is valid on that day and covers the item type
 * of every line; the refusal names what is missing.
 */

export interface CustomerLicence {
  id: string;
  customerId: string;
  kind: LicenceKind;
  number: string;
  issuedBy: string | null;
  scope: ItemType[];
  validFrom: string;
  validTo: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  createdAt: string;
}

export interface CustomerTerms {
  customerId: string;
  licenceRequired: boolean;
  licences: CustomerLicence[];
}

const LICENCE_COLUMNS = sql`id, customer_id AS "customerId", kind, number, issued_by AS "issuedBy", scope, valid_from::text AS "validFrom",
  valid_to::text AS "validTo", revoked_at AS "revokedAt", revoked_reason AS "revokedReason", created_at AS "createdAt"`;

export async function customerTerms(tx: Tx, customerId: string): Promise<CustomerTerms> {
  await getCustomer(tx, customerId);
  const [terms, licences] = await Promise.all([
    tx.query<{ licenceRequired: boolean }>(
      sql`SELECT licence_required AS "licenceRequired" FROM sales_customer_terms WHERE customer_id = ${customerId}`,
    ),
    tx.query<CustomerLicence>(
      sql`SELECT ${LICENCE_COLUMNS} FROM sales_customer_licences WHERE customer_id = ${customerId} ORDER BY valid_from DESC, id`,
    ),
  ]);
  return { customerId, licenceRequired: terms.rows[0]?.licenceRequired ?? false, licences: licences.rows };
}

export async function setLicenceRequired(tx: Tx, customerId: string, required: boolean): Promise<CustomerTerms> {
  await getCustomer(tx, customerId);
  await tx.query(sql`INSERT INTO sales_customer_terms (customer_id, licence_required) VALUES (${customerId}, ${required})
    ON CONFLICT (tenant_id, customer_id) DO UPDATE SET licence_required = excluded.licence_required, updated_at = now()`);
  return customerTerms(tx, customerId);
}

export interface NewLicence {
  kind: LicenceKind;
  number: string;
  issuedBy?: string | undefined;
  scope: ItemType[];
  validFrom: string;
  validTo?: string | null | undefined;
}

export async function addLicence(tx: Tx, customerId: string, input: NewLicence): Promise<CustomerLicence> {
  await getCustomer(tx, customerId);
  const errors = [];
  if (!input.number.trim()) errors.push({ pointer: '/body/number', message: 'must not be blank', code: 'error.sales.licence.number' });
  if (input.validTo && input.validTo < input.validFrom) {
    errors.push({ pointer: '/body/validTo', message: 'must not be before validFrom', code: 'error.sales.licence.dates' });
  }
  const unknown = input.scope.filter((s) => !ITEM_TYPES.includes(s));
  if (unknown.length)
    errors.push({ pointer: '/body/scope', message: `unknown item types ${unknown.join(', ')}`, code: 'error.sales.licence.scope' });
  if (errors.length) throw invalidFields('the licence is not valid', errors, 'error.sales.licence.invalid');
  const exists = await tx.query(
    sql`SELECT 1 FROM sales_customer_licences WHERE customer_id = ${customerId} AND kind = ${input.kind} AND number = ${input.number.trim()}`,
  );
  if (exists.rowCount > 0) {
    throw new Conflict(`licence ${input.number} is already recorded for this customer`, {
      code: 'error.sales.licence.exists',
      params: { number: input.number },
    });
  }
  const id = uuidv7();
  const { rows } = await tx.query<CustomerLicence>(sql`INSERT INTO sales_customer_licences
      (id, customer_id, kind, number, issued_by, scope, valid_from, valid_to)
    VALUES (${id}, ${customerId}, ${input.kind}, ${input.number.trim()}, ${input.issuedBy?.trim() || null}, ${[...new Set(input.scope)]}::text[],
      ${input.validFrom}, ${input.validTo ?? null})
    RETURNING ${LICENCE_COLUMNS}`);
  return rows[0]!;
}

/** A licence withdrawn by the authority (or recorded in error): kept, with the reason, and no longer counted. */
export async function revokeLicence(tx: Tx, customerId: string, licenceId: string, reason: string): Promise<CustomerLicence> {
  const { rows } =
    await tx.query<CustomerLicence>(sql`UPDATE sales_customer_licences SET revoked_at = now(), revoked_reason = ${reason.trim()}
    WHERE id = ${licenceId} AND customer_id = ${customerId} AND revoked_at IS NULL RETURNING ${LICENCE_COLUMNS}`);
  if (!rows[0]) {
    throw new NotFound(`licence ${licenceId} of this customer not found or already revoked`, {
      code: 'error.sales.licence.notFound',
      params: { id: licenceId },
    });
  }
  return rows[0];
}

/**
 * Why `customerId` may not buy items of these types on `onDate`, or undefined: no licence at all,
 * every licence expired (or not yet valid, or revoked), or no valid licence covering a type.
 */
export async function licenceRefusal(
  tx: Tx,
  customerId: string,
  customerCode: string,
  itemTypes: readonly ItemType[],
  onDate: string,
): Promise<Conflict | undefined> {
  const terms = await customerTerms(tx, customerId);
  if (!terms.licenceRequired) return undefined;
  const licences = terms.licences.filter((l) => !l.revokedAt);
  if (licences.length === 0) {
    return new Conflict(`customer ${customerCode} needs a licence to buy medical devices and has none on record`, {
      code: 'error.sales.licence.missing',
      params: { customer: customerCode },
    });
  }
  const valid = licences.filter((l) => l.validFrom <= onDate && (!l.validTo || l.validTo >= onDate));
  if (valid.length === 0) {
    const latest =
      licences
        .map((l) => l.validTo ?? '')
        .sort()
        .at(-1) ?? '';
    return new Conflict(`customer ${customerCode}'s licence is not valid on ${onDate} (expired ${latest || 'or not yet valid'})`, {
      code: 'error.sales.licence.expired',
      params: { customer: customerCode, date: onDate, validTo: latest },
    });
  }
  const covered = new Set(valid.flatMap((l) => l.scope));
  const outside = [...new Set(itemTypes)].filter((t) => !covered.has(t));
  if (outside.length) {
    return new Conflict(`customer ${customerCode}'s licence does not cover ${outside.join(', ')}`, {
      code: 'error.sales.licence.outOfScope',
      params: { customer: customerCode, types: outside.join(', ') },
    });
  }
  return undefined;
}
