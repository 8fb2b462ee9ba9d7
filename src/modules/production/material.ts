import { sql, type Tx } from '../../platform/db/index.js';
import { type Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict, DomainError, invalidFields, ValidationFailed } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { siteToday, type TenantContext } from '../../platform/tenancy/index.js';
import {
  getLot,
  issueToWorkOrder,
  issueUntrackedToWorkOrder,
  type Lot,
  listLots,
  lotStockAtSite,
  returnFromWorkOrder,
  returnUntrackedFromWorkOrder,
} from '../inventory/index.js';
import { getItem, quantityErrors } from '../masterdata/index.js';
import { decodeScan, type Gs1Data } from '../traceability/index.js';
import { ISSUABLE_STATUSES, PRODUCTION_EVENTS, type WoMaterial, type WorkOrder, type WorkOrderDetail } from './contract.js';
import { netIssuedOfLot } from './material-records.js';
import { getMaterials, getWorkOrder, moveWorkOrder, workOrderDetail } from './work-orders.js';

/**
 * Material issue and return, lot by lot, against the order's frozen requirements. Each refusal is
 * its own problem code, checked in this order before anything is written: the order is not open
 * for issue, the scan names no known lot, the lot is of an item (or revision) the order does not
 * require, the lot is on hold, expired or otherwise not released, the site has too little of it,
 * or the issue goes beyond the requirement without a reason. The order's row and then the lot's
 * row are locked FOR UPDATE, so two people issuing the last stock of one lot queue and the second
 * is refused with what is left.
 */

export interface MaterialInput {
  /** What the scanner read: a GS1 element string (or its printed form, or a Digital Link), or a lot/serial number. */
  scan?: string | undefined;
  lotId?: string | undefined;
  /** The requirement line, when the lot's item is required on several. */
  lineNo?: number | undefined;
  /** In the component's base unit; 1 for a serial. */
  quantity: string;
  /** Required to issue beyond the requirement; recorded with a return. */
  reason?: string | undefined;
}

export interface ReturnInput extends MaterialInput {
  /** A released or production location of the order's site. */
  locationId: string;
}

const refuse = (detail: string, code: string, params: Record<string, string | number> = {}) => new Conflict(detail, { code, params });

/** A scan as a lot number and, when it was a GS1 element string, the GTIN it names. */
function readScan(text: string): { number: string; gtin?: string | undefined } {
  const input = text.trim();
  let data: Gs1Data | null = null;
  if (/^(\(|https?:\/\/|\d{16,})/i.test(input)) {
    try {
      data = decodeScan(input).data;
    } catch (err) {
      // A long number may be a lot number that merely looks like GS1 data; the printed form may not.
      if (!(err instanceof DomainError) || /^\(|https?:/i.test(input)) throw err;
    }
  }
  const number = data ? (data.serial ?? data.batch) : input;
  if (!number) throw refuse('the scan names no lot or serial number', 'error.production.issue.noLot');
  return { number, gtin: data?.gtin };
}

/** The lot named by id or scan; a number several items share resolves to the one the order requires (and the scanned GTIN names). */
async function resolveLot(tx: Tx, order: WorkOrder, materials: WoMaterial[], input: MaterialInput): Promise<Lot> {
  if (input.lotId) return getLot(tx, input.lotId);
  if (!input.scan?.trim()) {
    throw new ValidationFailed('name the lot: scan it or give its id', [{ pointer: '/body/scan', message: 'is required' }], {
      code: 'error.production.issue.lotRequired',
    });
  }
  const { number, gtin } = readScan(input.scan);
  const found = (await listLots(tx, { number, limit: 50 })).items;
  if (found.length === 0) throw refuse(`no lot or serial ${number} is known`, 'error.production.issue.unknownLot', { lot: number });
  const required = new Set(materials.map((m) => m.componentItemId));
  const candidates = found.filter((l) => required.has(l.itemId));
  if (!gtin) return candidates[0] ?? found[0]!; // a lot of another item is refused by requirementFor, naming it
  const items = await Promise.all(candidates.map((l) => getItem(tx, l.itemId)));
  const matching = candidates.find((_, i) => items[i]!.gtin?.padStart(14, '0') === gtin);
  if (matching) return matching;
  throw refuse(
    `the scanned product ${gtin} with lot ${number} is not required by work order ${order.number}`,
    'error.production.issue.wrongItem',
    {
      lot: number,
      number: order.number,
    },
  );
}

/** The requirement the lot is issued to (or returned from): of its item, of the revision in force at release. */
function requirementFor(order: WorkOrder, materials: WoMaterial[], lot: Lot, lineNo: number | undefined): WoMaterial {
  const ofItem = materials.filter((m) => m.componentItemId === lot.itemId && (lineNo === undefined || m.lineNo === lineNo));
  if (ofItem.length === 0) {
    throw refuse(
      `lot ${lot.number} is of an item work order ${order.number} does not require${lineNo ? ` on line ${lineNo}` : ''}`,
      'error.production.issue.wrongItem',
      { lot: lot.number, number: order.number },
    );
  }
  const matching = ofItem.find((m) => !m.componentRevisionId || !lot.itemRevisionId || m.componentRevisionId === lot.itemRevisionId);
  if (!matching) {
    throw refuse(
      `lot ${lot.number} is of another revision of ${ofItem[0]!.componentCode} than work order ${order.number} was released with`,
      'error.production.issue.wrongRevision',
      { lot: lot.number, number: order.number, item: ofItem[0]!.componentCode },
    );
  }
  return matching;
}

/** Why the lot may not be issued today, or nothing. */
function statusRefusal(lot: Lot, today: string): Conflict | undefined {
  if (lot.status === 'on_hold') {
    return refuse(`lot ${lot.number} is on hold${lot.holdReason ? ` (${lot.holdReason})` : ''}`, 'error.production.issue.lotOnHold', {
      lot: lot.number,
    });
  }
  if (lot.status === 'expired' || (lot.expiresOn !== null && lot.expiresOn < today)) {
    return refuse(`lot ${lot.number} expired on ${lot.expiresOn}`, 'error.production.issue.lotExpired', {
      lot: lot.number,
      date: lot.expiresOn ?? '',
    });
  }
  if (lot.status !== 'released') {
    return refuse(
      `lot ${lot.number} is ${lot.status.replace('_', ' ')}: only released lots are issued`,
      'error.production.issue.lotNotReleased',
      {
        lot: lot.number,
        status: lot.status,
      },
    );
  }
  return undefined;
}

function checkedQuantity(value: string, requirement: WoMaterial, lot: Lot | null) {
  const errors = quantityErrors(value, requirement.baseUnit, '/body/quantity');
  if (!errors.length && dec(value).lte(0)) errors.push({ pointer: '/body/quantity', message: 'must be greater than zero' });
  if (!errors.length && lot?.kind === 'serial' && !dec(value).eq(1)) {
    errors.push({ pointer: '/body/quantity', message: `serial ${lot.number} is one unit`, code: 'error.inventory.serialQuantity' });
  }
  if (errors.length) throw invalidFields('the quantity is not valid', errors, 'error.quantity.invalid');
  return dec(value);
}

async function lockedOrder(tx: Tx, id: string, allowed: readonly string[], what: string): Promise<WorkOrder> {
  const order = await getWorkOrder(tx, id, { lock: true });
  if (!allowed.includes(order.status)) {
    throw refuse(
      `work order ${order.number} is ${order.status.replace('_', ' ')}: material is ${what} only while it is ${allowed.join(' or ')}`,
      'error.production.issue.orderNotOpen',
      { number: order.number, status: order.status },
    );
  }
  return order;
}

async function recordMovement(
  tx: Tx,
  order: WorkOrder,
  requirement: WoMaterial,
  lot: Lot | null,
  kind: 'issue' | 'return',
  quantity: string,
  reason: string | null,
  operationId: string,
): Promise<void> {
  const delta = kind === 'issue' ? quantity : `-${quantity}`;
  await tx.query(sql`UPDATE work_order_materials SET issued_quantity = issued_quantity + ${delta}::numeric
    WHERE work_order_id = ${order.id} AND line_no = ${requirement.lineNo}`);
  await tx.query(sql`INSERT INTO work_order_material_movements (work_order_id, line_no, kind, lot_id, quantity, reason, operation_id,
      created_by_id, created_by_name)
    VALUES (${order.id}, ${requirement.lineNo}, ${kind}, ${lot?.id ?? null}, ${quantity}, ${reason}, ${operationId},
      nullif(current_setting('app.actor_id', true), ''), nullif(current_setting('app.actor_name', true), ''))`);
  const def = kind === 'issue' ? PRODUCTION_EVENTS.materialIssued : PRODUCTION_EVENTS.materialReturned;
  await publish(tx, def, {
    aggregateId: order.id,
    siteId: order.siteId,
    data: {
      workOrderId: order.id,
      number: order.number,
      lineNo: requirement.lineNo,
      kind,
      itemId: requirement.componentItemId,
      lotId: lot?.id ?? null,
      quantity,
      operationId,
    },
  });
}

/** The reason given, required when the issue brings the line beyond its requirement. */
function overIssueReason(requirement: WoMaterial, quantity: Decimal, given: string | undefined): string | null {
  const reason = given?.trim() || null;
  const after = dec(requirement.issuedQuantity).plus(quantity);
  if (after.gt(dec(requirement.requiredQuantity)) && !reason) {
    throw new ValidationFailed(
      `issuing ${decText(quantity)} would bring line ${requirement.lineNo} to ${decText(after)} of ${requirement.requiredQuantity} required: an over-issue needs a reason`,
      [{ pointer: '/body/reason', message: 'is required for an over-issue', code: 'error.production.issue.overIssueReason' }],
      {
        code: 'error.production.issue.overIssueReason',
        params: { line: requirement.lineNo, required: requirement.requiredQuantity, after: decText(after) },
      },
    );
  }
  return reason;
}

/**
 * The requirement line an untracked component is named by (no lot to scan: cartons, bulk
 * consumables kept without lots), or undefined when the input names a lot.
 */
async function untrackedLine(tx: Tx, order: WorkOrder, materials: WoMaterial[], input: MaterialInput): Promise<WoMaterial | undefined> {
  if (input.lotId || input.scan?.trim() || input.lineNo === undefined) return undefined;
  const requirement = materials.find((m) => m.lineNo === input.lineNo);
  if (!requirement) {
    throw refuse(`work order ${order.number} has no requirement line ${input.lineNo}`, 'error.production.issue.noSuchLine', {
      line: input.lineNo,
      number: order.number,
    });
  }
  if ((await getItem(tx, requirement.componentItemId)).tracking !== 'none') {
    throw new ValidationFailed(
      `${requirement.componentCode} is lot-controlled: scan the lot`,
      [{ pointer: '/body/scan', message: 'is required for a lot-controlled component' }],
      { code: 'error.production.issue.lotRequired' },
    );
  }
  return requirement;
}

/** Issues a lot to a requirement of a released or running order; the first issue starts the order. */
export async function issueMaterial(tx: Tx, ctx: TenantContext, workOrderId: string, input: MaterialInput): Promise<WorkOrderDetail> {
  const order = await lockedOrder(tx, workOrderId, ISSUABLE_STATUSES, 'issued');
  const materials = await getMaterials(tx, order.id);
  const untracked = await untrackedLine(tx, order, materials, input);
  if (untracked) {
    const quantity = checkedQuantity(input.quantity, untracked, null);
    const reason = overIssueReason(untracked, quantity, input.reason);
    const { operationId } = await issueUntrackedToWorkOrder(tx, {
      source: { kind: 'work_order', id: order.id, line: untracked.lineNo },
      siteId: order.siteId,
      itemId: untracked.componentItemId,
      quantity: decText(quantity),
      reason: reason ?? undefined,
    });
    await recordMovement(tx, order, untracked, null, 'issue', decText(quantity), reason, operationId);
    if (order.status === 'released') await moveWorkOrder(tx, ctx, order, 'in_progress');
    return workOrderDetail(tx, order.id);
  }
  const named = await resolveLot(tx, order, materials, input);
  const requirement = requirementFor(order, materials, named, input.lineNo);
  const lot = await getLot(tx, named.id, { lock: 'update' });
  const refusal = statusRefusal(lot, await siteToday(tx, order.siteId));
  if (refusal) throw refusal;
  const quantity = checkedQuantity(input.quantity, requirement, lot);
  const available = (await lotStockAtSite(tx, [lot.id], order.siteId)).get(lot.id) ?? dec('0');
  if (available.lt(quantity)) {
    throw refuse(
      `lot ${lot.number} has ${decText(available)} ${requirement.baseUnit} at the order's site, ${decText(quantity)} requested`,
      'error.production.issue.shortStock',
      { lot: lot.number, available: decText(available), requested: decText(quantity), unit: requirement.baseUnit },
    );
  }
  const reason = overIssueReason(requirement, quantity, input.reason);
  const { operationId } = await issueToWorkOrder(tx, {
    source: { kind: 'work_order', id: order.id, line: requirement.lineNo },
    siteId: order.siteId,
    lotId: lot.id,
    quantity: decText(quantity),
    reason: reason ?? undefined,
  });
  await recordMovement(tx, order, requirement, lot, 'issue', decText(quantity), reason, operationId);
  if (order.status === 'released') await moveWorkOrder(tx, ctx, order, 'in_progress');
  return workOrderDetail(tx, order.id);
}

/** Returns unused material of a lot issued to the order back into stock at its site. */
export async function returnMaterial(tx: Tx, _ctx: TenantContext, workOrderId: string, input: ReturnInput): Promise<WorkOrderDetail> {
  const order = await lockedOrder(tx, workOrderId, [...ISSUABLE_STATUSES, 'completed'], 'returned');
  const materials = await getMaterials(tx, order.id);
  const untracked = await untrackedLine(tx, order, materials, input);
  if (untracked) {
    const quantity = checkedQuantity(input.quantity, untracked, null);
    const net = dec(await netIssuedOfLot(tx, order.id, untracked.lineNo, null));
    if (net.lt(quantity)) {
      throw refuse(
        `only ${decText(net)} of ${untracked.componentCode} is issued to line ${untracked.lineNo} of work order ${order.number}`,
        'error.production.return.moreThanIssued',
        { lot: untracked.componentCode, issued: decText(net), requested: decText(quantity) },
      );
    }
    const reason = input.reason?.trim() || null;
    const { operationId } = await returnUntrackedFromWorkOrder(tx, {
      source: { kind: 'work_order', id: order.id, line: untracked.lineNo },
      siteId: order.siteId,
      itemId: untracked.componentItemId,
      quantity: decText(quantity),
      locationId: input.locationId,
      reason: reason ?? undefined,
    });
    await recordMovement(tx, order, untracked, null, 'return', decText(quantity), reason, operationId);
    return workOrderDetail(tx, order.id);
  }
  const lot = await resolveLot(tx, order, materials, input);
  const requirement = requirementFor(order, materials, lot, input.lineNo);
  const quantity = checkedQuantity(input.quantity, requirement, lot);
  const net = dec(await netIssuedOfLot(tx, order.id, requirement.lineNo, lot.id));
  if (net.lt(quantity)) {
    throw refuse(
      `only ${decText(net)} of lot ${lot.number} is issued to line ${requirement.lineNo} of work order ${order.number}`,
      'error.production.return.moreThanIssued',
      { lot: lot.number, issued: decText(net), requested: decText(quantity) },
    );
  }
  const reason = input.reason?.trim() || null;
  const { operationId } = await returnFromWorkOrder(tx, {
    source: { kind: 'work_order', id: order.id, line: requirement.lineNo },
    siteId: order.siteId,
    lotId: lot.id,
    quantity: decText(quantity),
    locationId: input.locationId,
    reason: reason ?? undefined,
  });
  await recordMovement(tx, order, requirement, lot, 'return', decText(quantity), reason, operationId);
  return workOrderDetail(tx, order.id);
}
