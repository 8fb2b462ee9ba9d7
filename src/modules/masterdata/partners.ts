import { type Static, Type } from 'typebox';
import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { NotFound, ValidationFailed } from '../../platform/errors.js';
import type { Signature } from '../../platform/esign/index.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { keyset, type Page, toPage } from '../../platform/paging.js';
import { siteDay, siteToday } from '../../platform/tenancy/index.js';
import { getDocument } from '../documents/index.js';
import {
  ADDRESS_COLUMNS,
  Address,
  allOf,
  Code,
  Contact,
  found,
  Id,
  IsoDate,
  inCreationOrder,
  type ListRequest,
  Name,
  searchCodeOrName,
  updateRow,
  Version,
} from './common.js';
import { APPROVAL_STATUSES, type ApprovalStatus, MASTERDATA_EVENTS } from './contract.js';
import { getItem } from './items.js';

/**
 * Suppliers with the approved supplier list per item (ISO 13485 7.4.1, 21 CFR 820.50), and
 * customers with their ship-to (consignee) addresses.
 */

/** Statuses under which the item may be bought from the supplier (conditional: with the stated conditions). */
export const PURCHASABLE_STATUSES: readonly ApprovalStatus[] = ['approved', 'conditional'];

const CONTACT_COLUMNS = 'contact_name AS "contactName", email, phone';
const PARTY_COLUMNS = { code: 'code', name: 'name', contactName: 'contact_name', email: 'email', phone: 'phone', active: 'active' };
const ADDRESS_FIELDS = {
  addressLine1: 'address_line1',
  addressLine2: 'address_line2',
  city: 'city',
  postalCode: 'postal_code',
  region: 'region',
  country: 'country',
};

// Suppliers

const SupplierFields = { code: Code, name: Name, ...Contact, ...Address, active: Type.Boolean() };
export const Supplier = Type.Object({ id: Id, ...SupplierFields, version: Version });
export type Supplier = Static<typeof Supplier>;
export const NewSupplier = Type.Object({ ...SupplierFields, active: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type NewSupplier = Static<typeof NewSupplier>;
export const SupplierChanges = Type.Partial(Type.Object(SupplierFields), { additionalProperties: false, minProperties: 1 });
export type SupplierChanges = Static<typeof SupplierChanges>;

const SUPPLIER_COLUMNS = `SELECT id, code, name, ${CONTACT_COLUMNS}, ${ADDRESS_COLUMNS}, active, version FROM suppliers`;

export async function createSupplier(tx: Tx, input: NewSupplier): Promise<Supplier> {
  const id = uuidv7();
  await tx.query(sql`INSERT INTO suppliers (id, code, name, contact_name, email, phone, address_line1, address_line2, city,
      postal_code, region, country, active)
    VALUES (${id}, ${input.code}, ${input.name}, ${input.contactName ?? null}, ${input.email ?? null}, ${input.phone ?? null},
      ${input.addressLine1}, ${input.addressLine2 ?? null}, ${input.city}, ${input.postalCode ?? null}, ${input.region ?? null},
      ${input.country}, ${input.active ?? true})`);
  return getSupplier(tx, id);
}

export async function updateSupplier(tx: Tx, id: string, changes: SupplierChanges, versions?: readonly number[]): Promise<Supplier> {
  await updateRow(tx, 'suppliers', id, changes, { ...PARTY_COLUMNS, ...ADDRESS_FIELDS }, versions);
  return getSupplier(tx, id);
}

export async function getSupplier(tx: Tx, id: string): Promise<Supplier> {
  const { rows } = await tx.query<Supplier>(sql`${raw(SUPPLIER_COLUMNS)} WHERE id = ${id}`);
  return found(rows[0], 'supplier', id, 'error.masterdata.supplier.notFound');
}

const SUPPLIERS = inCreationOrder<Supplier>('suppliers');

export async function listSuppliers(tx: Tx, page: ListRequest & { active?: boolean | undefined }): Promise<Page<Supplier>> {
  const k = keyset(SUPPLIERS, page);
  const where = [...searchCodeOrName(page.q), ...activeIs(page.active)];
  const { rows } = await tx.query<Supplier>(sql`${raw(SUPPLIER_COLUMNS)} WHERE ${allOf(where, k)} ${k.orderBy} ${k.limit}`);
  return toPage(k, rows);
}

const activeIs = (active: boolean | undefined): SqlStatement[] => (active === undefined ? [] : [sql`active = ${active}`]);

// Approved supplier list

const ApprovalFields = {
  status: Type.Enum(APPROVAL_STATUSES),
  evidence: Type.String({
    minLength: 1,
    maxLength: 4000,
    description: 'qualification evidence: audit, certificate, first-article results',
  }),
  evidenceDocumentId: Type.Union([Id, Type.Null()], { description: 'controlled document holding the evidence' }),
  expiresOn: Type.Union([IsoDate, Type.Null()], { description: 'last day the approval is valid; null until withdrawn' }),
};
export const SupplierApproval = Type.Object({
  id: Id,
  supplierId: Id,
  supplierCode: Type.String(),
  supplierName: Type.String(),
  itemId: Id,
  itemCode: Type.String(),
  itemName: Type.String(),
  ...ApprovalFields,
  approvedToday: Type.Boolean({ description: 'purchasable today: approved or conditional and not expired' }),
});
export type SupplierApproval = Static<typeof SupplierApproval>;
export const ApprovalInput = Type.Object(
  {
    ...ApprovalFields,
    evidenceDocumentId: Type.Optional(ApprovalFields.evidenceDocumentId),
    expiresOn: Type.Optional(ApprovalFields.expiresOn),
  },
  { additionalProperties: false },
);
export type ApprovalInput = Static<typeof ApprovalInput>;

/** The predicate behind every "is this approved on that day" question, kept in SQL so lists and checks agree. */
const approvedOn = (onDate: SqlStatement) =>
  sql`(status = ANY (${[...PURCHASABLE_STATUSES]}::text[]) AND (expires_on IS NULL OR expires_on >= ${onDate}))`;

const approvalSelect = () =>
  sql`SELECT id, supplier_id AS "supplierId", item_id AS "itemId", status, evidence, evidence_document_id AS "evidenceDocumentId",
    expires_on::text AS "expiresOn", ${approvedOn(siteDay())} AS "approvedToday",
    (SELECT s.code FROM suppliers s WHERE s.tenant_id = a.tenant_id AND s.id = a.supplier_id) AS "supplierCode",
    (SELECT s.name FROM suppliers s WHERE s.tenant_id = a.tenant_id AND s.id = a.supplier_id) AS "supplierName",
    (SELECT i.code FROM items i WHERE i.tenant_id = a.tenant_id AND i.id = a.item_id) AS "itemCode",
    (SELECT i.name FROM items i WHERE i.tenant_id = a.tenant_id AND i.id = a.item_id) AS "itemName"
    FROM supplier_approvals a`;

/** The evidence reference must name a controlled document of the tenant, not just any id. */
async function assertEvidenceDocument(tx: Tx, documentId: string | null | undefined): Promise<void> {
  if (!documentId) return;
  await getDocument(tx, documentId).catch((err: unknown) => {
    if (!(err instanceof NotFound)) throw err;
    throw new ValidationFailed(
      `evidence document ${documentId} does not exist`,
      [{ pointer: '/body/evidenceDocumentId', message: 'is not a controlled document' }],
      { code: 'error.masterdata.approval.evidenceNotFound', params: { documentId } },
    );
  });
}

/**
 * Records the supplier's approval status for an item, replacing the previous entry (the audit
 * trail keeps it). `sign`, when given, signs the entry as written, before its event is published
 * with the signature (see decideSupplierApproval).
 */
export async function setSupplierApproval(
  tx: Tx,
  supplierId: string,
  itemId: string,
  input: ApprovalInput,
  sign?: (approval: SupplierApproval) => Promise<Signature>,
): Promise<SupplierApproval> {
  await getSupplier(tx, supplierId);
  await getItem(tx, itemId);
  await assertEvidenceDocument(tx, input.evidenceDocumentId);
  if (input.status !== 'disqualified' && input.expiresOn && input.expiresOn < (await siteToday(tx))) {
    throw new ValidationFailed(
      `an approval that expired on ${input.expiresOn} cannot be granted`,
      [{ pointer: '/body/expiresOn', message: 'is in the past' }],
      { code: 'error.masterdata.approval.expired', params: { expiresOn: input.expiresOn } },
    );
  }
  const before = await tx.query<{ status: ApprovalStatus }>(
    sql`SELECT status FROM supplier_approvals WHERE supplier_id = ${supplierId} AND item_id = ${itemId}`,
  );
  await tx.query(sql`INSERT INTO supplier_approvals (supplier_id, item_id, status, evidence, evidence_document_id, expires_on)
    VALUES (${supplierId}, ${itemId}, ${input.status}, ${input.evidence}, ${input.evidenceDocumentId ?? null}, ${input.expiresOn ?? null})
    ON CONFLICT (tenant_id, supplier_id, item_id) DO UPDATE SET status = EXCLUDED.status, evidence = EXCLUDED.evidence,
      evidence_document_id = EXCLUDED.evidence_document_id, expires_on = EXCLUDED.expires_on, version = supplier_approvals.version + 1,
      updated_at = now()`);
  const approval = await getSupplierApproval(tx, supplierId, itemId);
  const signature = sign ? await sign(approval) : null;
  await publish(tx, MASTERDATA_EVENTS.supplierApprovalChanged, {
    aggregateId: supplierId,
    data: {
      itemId,
      from: before.rows[0]?.status ?? null,
      to: approval.status,
      expiresOn: approval.expiresOn,
      signatureId: signature?.id ?? null,
    },
  });
  return approval;
}

export async function getSupplierApproval(tx: Tx, supplierId: string, itemId: string): Promise<SupplierApproval> {
  const { rows } = await tx.query<SupplierApproval>(sql`${approvalSelect()} WHERE supplier_id = ${supplierId} AND item_id = ${itemId}`);
  return found(rows[0], 'approval of supplier for item', `${supplierId}/${itemId}`, 'error.masterdata.approval.notFound');
}

const APPROVALS = inCreationOrder<SupplierApproval>('supplierApprovals');

export async function listSupplierApprovals(
  tx: Tx,
  page: ListRequest & {
    supplierId?: string | undefined;
    itemId?: string | undefined;
    status?: ApprovalStatus | undefined;
    approvedOn?: string | undefined;
  },
): Promise<Page<SupplierApproval>> {
  const where: SqlStatement[] = [
    ...(page.supplierId ? [sql`supplier_id = ${page.supplierId}`] : []),
    ...(page.itemId ? [sql`item_id = ${page.itemId}`] : []),
    ...(page.status ? [sql`status = ${page.status}`] : []),
    ...(page.approvedOn ? [approvedOn(sql`${page.approvedOn}::date`)] : []),
  ];
  const k = keyset(APPROVALS, page);
  const { rows } = await tx.query<SupplierApproval>(sql`${approvalSelect()} WHERE ${allOf(where, k)} ${k.orderBy} ${k.limit}`);
  return toPage(k, rows);
}

/**
 * Whether the item may be bought from the supplier on a day (purchasing's gate, ISO 13485 7.4.1):
 * approved or conditional, and not expired. Disqualified, expired, or no entry at all: not approved.
 */
export async function isSupplierApprovedFor(tx: Tx, supplierId: string, itemId: string, onDate: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    sql`SELECT 1 FROM supplier_approvals WHERE supplier_id = ${supplierId} AND item_id = ${itemId} AND ${approvedOn(sql`${onDate}::date`)}`,
  );
  return rowCount > 0;
}

// Customers

const ShipToFields = { code: Code, name: Name, ...Address, active: Type.Boolean() };
export const ShipTo = Type.Object({ id: Id, ...ShipToFields });
export type ShipTo = Static<typeof ShipTo>;
export const NewShipTo = Type.Object({ ...ShipToFields, active: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type NewShipTo = Static<typeof NewShipTo>;
export const ShipToChanges = Type.Partial(Type.Object(ShipToFields), { additionalProperties: false, minProperties: 1 });
export type ShipToChanges = Static<typeof ShipToChanges>;

const CustomerFields = { code: Code, name: Name, ...Contact, active: Type.Boolean() };
export const Customer = Type.Object({ id: Id, ...CustomerFields, shipTos: Type.Array(ShipTo), version: Version });
export type Customer = Static<typeof Customer>;
export const NewCustomer = Type.Object(
  { ...CustomerFields, active: Type.Optional(Type.Boolean()), shipTos: Type.Optional(Type.Array(NewShipTo, { maxItems: 100 })) },
  { additionalProperties: false },
);
export type NewCustomer = Static<typeof NewCustomer>;
export const CustomerChanges = Type.Partial(Type.Object(CustomerFields), { additionalProperties: false, minProperties: 1 });
export type CustomerChanges = Static<typeof CustomerChanges>;

const CUSTOMER_COLUMNS = `SELECT c.id, c.code, c.name, ${CONTACT_COLUMNS}, c.active,
  coalesce((SELECT json_agg(json_build_object('id', s.id, 'code', s.code, 'name', s.name, 'addressLine1', s.address_line1,
      'addressLine2', s.address_line2, 'city', s.city, 'postalCode', s.postal_code, 'region', s.region, 'country', s.country,
      'active', s.active) ORDER BY s.code)
    FROM customer_ship_tos s WHERE s.customer_id = c.id), '[]') AS "shipTos", c.version
  FROM customers c`;

export async function createCustomer(tx: Tx, input: NewCustomer): Promise<Customer> {
  const id = uuidv7();
  await tx.query(sql`INSERT INTO customers (id, code, name, contact_name, email, phone, active)
    VALUES (${id}, ${input.code}, ${input.name}, ${input.contactName ?? null}, ${input.email ?? null}, ${input.phone ?? null},
      ${input.active ?? true})`);
  for (const shipTo of input.shipTos ?? []) await insertShipTo(tx, id, shipTo);
  return getCustomer(tx, id);
}

/** A customer and its ship-to addresses change as one record: one version, one ETag. */
export async function updateCustomer(tx: Tx, id: string, changes: CustomerChanges, versions?: readonly number[]): Promise<Customer> {
  await updateRow(tx, 'customers', id, changes, PARTY_COLUMNS, versions);
  return getCustomer(tx, id);
}

export async function getCustomer(tx: Tx, id: string): Promise<Customer> {
  const { rows } = await tx.query<Customer>(sql`${raw(CUSTOMER_COLUMNS)} WHERE c.id = ${id}`);
  return found(rows[0], 'customer', id, 'error.masterdata.customer.notFound');
}

const CUSTOMERS = inCreationOrder<Customer>('customers');

export async function listCustomers(tx: Tx, page: ListRequest & { active?: boolean | undefined }): Promise<Page<Customer>> {
  const k = keyset(CUSTOMERS, page);
  const where = [...searchCodeOrName(page.q), ...activeIs(page.active)];
  const { rows } = await tx.query<Customer>(
    sql`SELECT * FROM (${raw(CUSTOMER_COLUMNS)}) c WHERE ${allOf(where, k)} ${k.orderBy} ${k.limit}`,
  );
  return toPage(k, rows);
}

export async function addShipTo(tx: Tx, customerId: string, input: NewShipTo, versions?: readonly number[]): Promise<Customer> {
  await getCustomer(tx, customerId);
  await updateRow(tx, 'customers', customerId, {}, {}, versions);
  await insertShipTo(tx, customerId, input);
  return getCustomer(tx, customerId);
}

export async function updateShipTo(
  tx: Tx,
  customerId: string,
  shipToId: string,
  changes: ShipToChanges,
  versions?: readonly number[],
): Promise<Customer> {
  const { rows } = await tx.query<{ id: string }>(
    sql`SELECT id FROM customer_ship_tos WHERE id = ${shipToId} AND customer_id = ${customerId}`,
  );
  found(rows[0], 'ship-to address', shipToId, 'error.masterdata.shipTo.notFound');
  await updateRow(tx, 'customers', customerId, {}, {}, versions);
  await updateRow(tx, 'customer_ship_tos', shipToId, changes, { code: 'code', name: 'name', active: 'active', ...ADDRESS_FIELDS });
  return getCustomer(tx, customerId);
}

async function insertShipTo(tx: Tx, customerId: string, s: NewShipTo): Promise<void> {
  await tx.query(sql`INSERT INTO customer_ship_tos (customer_id, code, name, address_line1, address_line2, city, postal_code, region,
      country, active)
    VALUES (${customerId}, ${s.code}, ${s.name}, ${s.addressLine1}, ${s.addressLine2 ?? null}, ${s.city}, ${s.postalCode ?? null},
      ${s.region ?? null}, ${s.country}, ${s.active ?? true})`);
}
