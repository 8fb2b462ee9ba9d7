import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { NotFound } from '../../platform/errors.js';
import {
  defineSignable,
  listSignatures,
  type Signature,
  type SignerVerifier,
  type SigningCredentials,
} from '../../platform/esign/index.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { defineMachine, takeTransition } from '../../platform/statemachine/index.js';
import { siteToday, type TenantContext } from '../../platform/tenancy/index.js';
import { findItemByCode } from '../masterdata/index.js';
import {
  INVENTORY_EVENTS,
  INVENTORY_PERMISSIONS,
  LOT_STATUSES,
  type Lot,
  type LotStatus,
  type Movement,
  type StatusChange,
} from './contract.js';
import { emitLotStatusChanged } from './events.js';

const LOT_COLUMNS = `l.id, l.item_id AS "itemId", l.item_revision_id AS "itemRevisionId", l.kind, l.number, l.status,
  l.hold_reason AS "holdReason", l.supplier_id AS "supplierId", l.supplier_lot AS "supplierLot",
  l.manufactured_on AS "manufacturedOn", l.expires_on AS "expiresOn", l.created_at AS "createdAt",
  coalesce((SELECT sum(b.quantity) FROM stock_balances b WHERE b.tenant_id = l.tenant_id AND b.lot_id = l.id), 0)::text AS "onHand"`;

export async function getLot(tx: Tx, id: string, opts: { lock?: 'share' | 'update' } = {}): Promise<Lot> {
  const lock = opts.lock === 'update' ? ' FOR UPDATE OF l' : opts.lock === 'share' ? ' FOR SHARE OF l' : '';
  const { rows } = await tx.query<Lot>(sql`SELECT ${raw(LOT_COLUMNS)} FROM lots l WHERE l.id = ${id}${raw(lock)}`);
  if (!rows[0]) throw new NotFound(`lot ${id} not found`, { code: 'error.inventory.lot.notFound', params: { id } });
  return rows[0];
}

/** The lot list's sorts; a lot without expiry sorts after every dated one. */
export const LOTS: Listing<Lot, 'number' | 'expiresOn' | 'createdAt'> = {
  name: 'inventory.lots',
  sorts: {
    number: [{ sql: 'l.number', type: 'text', of: 'number' }],
    expiresOn: [{ sql: "coalesce(l.expires_on, 'infinity'::date)", type: 'date', of: (l) => l.expiresOn ?? 'infinity' }],
    createdAt: [],
  },
  defaultSort: 'createdAt',
  id: { sql: 'l.id', type: 'uuid', of: 'id' },
};

export interface LotFilter {
  itemId?: string | undefined;
  status?: LotStatus | undefined;
  number?: string | undefined;
  supplierLot?: string | undefined;
  expiresBefore?: string | undefined;
  /** Part of the lot or serial number or of the supplier lot, or an item's exact code. */
  q?: string | undefined;
  /** Only lots with stock on hand somewhere. */
  inStock?: boolean | undefined;
  /** Default `createdAt` (oldest first); a leading `-` sorts descending. */
  sort?: string | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `q` also finds the lots of an item typed by its code (codes are upper case; people type either). */
async function searchLots(tx: Tx, q: string): Promise<SqlStatement> {
  const pattern = likePattern(q);
  const items = [];
  for (const code of new Set([q, q.toUpperCase()])) {
    const item = await findItemByCode(tx, code);
    if (item) items.push(item.id);
  }
  return sql`(l.number ILIKE ${pattern} OR l.supplier_lot ILIKE ${pattern} OR l.item_id = ANY(${items}::uuid[]))`;
}

export async function listLots(tx: Tx, f: LotFilter): Promise<Page<Lot>> {
  const k = keyset(LOTS, { sort: f.sort, cursor: f.cursor, limit: f.limit ?? 100 });
  const q = f.q?.trim();
  const where: SqlStatement[] = [
    sql`l.tenant_id = mf_current_tenant()`,
    ...(f.itemId ? [sql`l.item_id = ${f.itemId}`] : []),
    ...(f.status ? [sql`l.status = ${f.status}`] : []),
    ...(f.number ? [sql`l.number = ${f.number}`] : []),
    ...(f.supplierLot ? [sql`l.supplier_lot = ${f.supplierLot}`] : []),
    ...(f.expiresBefore ? [sql`l.expires_on < ${f.expiresBefore}`] : []),
    ...(q ? [await searchLots(tx, q)] : []),
    ...(f.inStock
      ? [sql`EXISTS (SELECT 1 FROM stock_balances b WHERE b.tenant_id = l.tenant_id AND b.lot_id = l.id AND b.quantity > 0)`]
      : []),
    k.where,
  ];
  const conditions = where.reduce((acc, w) => sql`${acc} AND ${w}`);
  const { rows } = await tx.query<Lot>(sql`SELECT ${raw(LOT_COLUMNS)} FROM lots l WHERE ${conditions} ${k.orderBy} ${k.limit}`);
  return toPage(k, rows);
}

/** What a signed step needs from its caller: who signs, how they are re-authenticated, what they typed. */
export interface Signing {
  ctx: TenantContext;
  verifier: SignerVerifier | null;
  credentials: SigningCredentials;
}

/** A release or rejection signs the lot's identity and dates, not its status or quantity, which move on. */
export const lotSignable = defineSignable({
  entity: 'lots',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT item_id, item_revision_id, kind, number, supplier_id, supplier_lot, manufactured_on, expires_on FROM lots WHERE id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) =>
    meaning === 'released' ? INVENTORY_PERMISSIONS.signReleased : meaning === 'rejected' ? INVENTORY_PERMISSIONS.signRejected : undefined,
});

export const notExpired = async (tx: Tx, lot: Lot) =>
  isPastExpiry(lot, await siteToday(tx)) ? `it expired on ${lot.expiresOn}` : undefined;

/**
 * The lot life cycle. A status changes only through these steps; consumed and shipped are set
 * by the ledger when a lot's last unit leaves, expired by the nightly expiry job.
 */
export const LOT_MACHINE = defineMachine<LotStatus, Lot>({
  entity: 'lots',
  states: LOT_STATUSES,
  transitions: [
    {
      name: 'release',
      from: ['quarantine'],
      to: 'released',
      guards: [notExpired],
      signature: { meaning: 'released' },
      event: INVENTORY_EVENTS.released,
    },
    {
      name: 'reject',
      from: ['quarantine', 'on_hold'],
      to: 'rejected',
      signature: { meaning: 'rejected' },
      reasonRequired: true,
      event: INVENTORY_EVENTS.rejected,
    },
    { name: 'hold', from: ['quarantine', 'released'], to: 'on_hold', reasonRequired: true, event: INVENTORY_EVENTS.held },
    { name: 'unhold', from: ['on_hold'], to: 'quarantine', reasonRequired: true, event: INVENTORY_EVENTS.unheld },
    { name: 'unhold', from: ['on_hold'], to: 'released', reasonRequired: true, event: INVENTORY_EVENTS.unheld },
    { name: 'expire', from: ['quarantine', 'released', 'on_hold'], to: 'expired', event: INVENTORY_EVENTS.expired },
    { name: 'consume', from: ['released'], to: 'consumed', event: INVENTORY_EVENTS.consumed },
    { name: 'ship', from: ['released'], to: 'shipped', event: INVENTORY_EVENTS.shipped },
  ],
});

/** The context withTenant put on this transaction, for steps taken without a signing person. */
async function transactionContext(tx: Tx): Promise<TenantContext> {
  const { rows } = await tx.query<Record<string, string>>(sql`SELECT current_setting('app.tenant_id', true) AS "tenantId",
      current_setting('app.site_id', true) AS "siteId", current_setting('app.actor_kind', true) AS kind,
      current_setting('app.actor_id', true) AS id, current_setting('app.actor_name', true) AS name,
      current_setting('app.request_id', true) AS "requestId", current_setting('app.reason', true) AS reason`);
  const r = rows[0]!;
  return {
    tenantId: r.tenantId!,
    siteId: r.siteId || undefined,
    actor: { kind: r.kind as TenantContext['actor']['kind'], id: r.id!, name: r.name! },
    requestId: r.requestId!,
    reason: r.reason || undefined,
  };
}

interface StatusStep {
  comment?: string | undefined;
  signing?: Signing | undefined;
  /** A signature given elsewhere that this step rests on (an MRB disposition's). */
  signatureId?: string | undefined;
}

/** Moves one locked lot to `to` through the state machine, records the change and emits its event. */
export async function changeStatus(tx: Tx, lot: Lot, to: LotStatus, step: StatusStep = {}, machine = LOT_MACHINE): Promise<Lot> {
  const comment = step.comment?.trim() || undefined;
  const ctx = step.signing?.ctx ?? (await transactionContext(tx));
  const result = await takeTransition(tx, ctx, step.signing?.verifier ?? null, machine, {
    id: lot.id,
    record: lot,
    from: lot.status,
    to,
    label: `lot ${lot.number}`,
    credentials: step.signing?.credentials,
    comment,
    apply: async (t, next) => {
      const holding = next === 'on_hold';
      await t.query(sql`UPDATE lots SET status = ${next},
          held_from = ${holding ? lot.status : null}, hold_reason = ${holding ? (comment ?? null) : null}
        WHERE id = ${lot.id}`);
    },
  });
  await tx.query(sql`INSERT INTO lot_status_changes (lot_id, from_status, to_status, reason, signature_id)
    VALUES (${lot.id}, ${lot.status}, ${to}, ${comment ?? null}, ${result.signature?.id ?? step.signatureId ?? null})`);
  await emitLotStatusChanged(tx, result.event, {
    lotId: lot.id,
    itemId: lot.itemId,
    number: lot.number,
    from: lot.status,
    to,
    reason: comment ?? null,
    signatureId: result.signature?.id ?? step.signatureId ?? null,
  });
  return getLot(tx, lot.id);
}

export async function hold(tx: Tx, input: { lotId: string; reason: string }): Promise<Lot> {
  return changeStatus(tx, await getLot(tx, input.lotId, { lock: 'update' }), 'on_hold', { comment: input.reason });
}

/** Lifts a hold: the lot returns to the status the hold interrupted. */
export async function unhold(tx: Tx, input: { lotId: string; reason: string }): Promise<Lot> {
  const lot = await getLot(tx, input.lotId, { lock: 'update' });
  const { rows } = await tx.query<{ held_from: LotStatus | null }>(sql`SELECT held_from FROM lots WHERE id = ${lot.id}`);
  return changeStatus(tx, lot, rows[0]?.held_from ?? 'quarantine', { comment: input.reason });
}

/** QA release by e-signature (meaning `released`); an expired lot cannot be released. */
export async function release(tx: Tx, input: { lotId: string; reason?: string | undefined; signing: Signing }): Promise<Lot> {
  const lot = await getLot(tx, input.lotId, { lock: 'update' });
  return changeStatus(tx, lot, 'released', { comment: input.reason, signing: input.signing });
}

/** Rejection by e-signature (meaning `rejected`), with a reason. */
export async function reject(tx: Tx, input: { lotId: string; reason: string; signing: Signing }): Promise<Lot> {
  const lot = await getLot(tx, input.lotId, { lock: 'update' });
  return changeStatus(tx, lot, 'rejected', { comment: input.reason, signing: input.signing });
}

/** After stock left: a released lot with nothing left anywhere becomes consumed or shipped. */
export async function closeIfDepleted(tx: Tx, lotId: string, to: 'consumed' | 'shipped'): Promise<void> {
  const lot = await getLot(tx, lotId);
  if (lot.status === 'released' && lot.onHand === '0') await changeStatus(tx, lot, to);
}

/**
 * The nightly expiry job: every lot still in stock status whose expiry date has passed (as of
 * `today`) becomes expired, one recorded change and one event each. Returns the lots expired.
 */
export async function expireLots(tx: Tx, onDate: string): Promise<Lot[]> {
  const { rows } = await tx.query<{ id: string }>(sql`SELECT id FROM lots
    WHERE status IN ('quarantine', 'released', 'on_hold') AND expires_on < ${onDate}
    ORDER BY expires_on, id FOR UPDATE`);
  const expired: Lot[] = [];
  for (const { id } of rows) {
    expired.push(await changeStatus(tx, await getLot(tx, id), 'expired', { comment: `past its expiry date on ${onDate}` }));
  }
  return expired;
}

export interface LotHistory {
  lot: Lot;
  statusChanges: StatusChange[];
  movements: Movement[];
  signatures: Signature[];
}

export async function lotHistory(tx: Tx, lotId: string): Promise<LotHistory> {
  const lot = await getLot(tx, lotId);
  const changes = await tx.query<StatusChange>(sql`SELECT id, from_status AS "fromStatus", to_status AS "toStatus", reason,
      signature_id AS "signatureId", json_build_object('kind', actor_kind, 'id', actor_id, 'name', actor_name) AS actor,
      changed_at AS "changedAt"
    FROM lot_status_changes WHERE lot_id = ${lotId} ORDER BY changed_at, id`);
  const movements = await movementsOf(tx, sql`m.lot_id = ${lotId}`);
  return { lot, statusChanges: changes.rows, movements, signatures: await listSignatures(tx, 'lots', lotId) };
}

/** The ledger's columns as the API names them, read from the table aliased `m`. */
export const MOVEMENT_COLUMNS = `m.id, m.operation_id AS "operationId", m.movement_type AS "movementType", m.item_id AS "itemId",
  m.lot_id AS "lotId", m.quantity::text AS quantity, m.from_location_id AS "fromLocationId", m.to_location_id AS "toLocationId",
  CASE WHEN m.reference_id IS NULL THEN NULL ELSE json_build_object('type', m.reference_type, 'id', m.reference_id) END AS reference,
  CASE WHEN m.source_id IS NULL THEN NULL ELSE json_build_object('kind', m.source_kind, 'id', m.source_id, 'line', m.source_line) END AS source,
  m.reason, json_build_object('kind', m.actor_kind, 'id', m.actor_id, 'name', m.actor_name) AS actor,
  m.created_at AS "createdAt"`;

export async function movementsOf(tx: Tx, where: SqlStatement): Promise<Movement[]> {
  const { rows } = await tx.query<Movement>(sql`SELECT ${raw(MOVEMENT_COLUMNS)} FROM stock_movements m WHERE ${where}
    ORDER BY m.created_at, m.id`);
  return rows;
}

/** A lot may be issued to production or shipped only when released and not past its expiry date. */
export function isUsable(lot: Pick<Lot, 'status' | 'expiresOn'>, today: string): boolean {
  return lot.status === 'released' && !isPastExpiry(lot, today);
}

/** Usable through its expiry date; expired from the day after. */
export function isPastExpiry(lot: Pick<Lot, 'expiresOn'>, today: string): boolean {
  return lot.expiresOn !== null && lot.expiresOn < today;
}
