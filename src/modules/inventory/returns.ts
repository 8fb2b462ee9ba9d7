import { sql, type Tx } from '../../platform/db/index.js';
import { dec, decText } from '../../platform/decimal.js';
import { Conflict } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { defineMachine } from '../../platform/statemachine/index.js';
import { INVENTORY_EVENTS, LOT_STATUSES, type Lot, type LotKind, type LotStatus, type SourceLink } from './contract.js';
import { positiveQuantity, post } from './ledger.js';
import { changeStatus, getLot } from './lots.js';
import { stockLocation } from './places.js';

/**
 * Stock coming back from a customer: the exact lots and serials of a customer's return arrive in a
 * quarantine location of the site they left from, each a `receipt` movement linked to the return
 * and its line (source kind `customer_return`). A lot that was released, shipped or consumed goes
 * back to quarantine — a lot's status is the lot's, so stock of it still on the shelves waits for
 * quality's decision too; a lot already in quarantine, on hold, rejected or expired stays as it is.
 */

/** One lot or serial coming back on one line of the return. */
export interface ReturnedPick {
  line: number;
  itemId: string;
  lotId: string;
  /** In the item's base unit; 1 for a serial. */
  quantity: string;
}

export interface ReturnReceiptInput {
  source: SourceLink & { kind: 'customer_return' };
  /** The site the goods were shipped from: the quarantine location must be one of its. */
  siteId: string;
  locationId: string;
  lots: readonly ReturnedPick[];
  /** Recorded with each lot put back into quarantine, e.g. `customer return RMA-2026-00004`. */
  reason: string;
}

export interface ReturnedLot {
  line: number;
  lotId: string;
  number: string;
  kind: LotKind;
  quantity: string;
  /** The lot's status after the receipt. */
  status: LotStatus;
}

export interface ReceivedReturn {
  operationId: string;
  locationId: string;
  lots: ReturnedLot[];
}

/**
 * The one way back into quarantine from stock that left: kept apart from LOT_MACHINE, so no
 * ordinary step can quarantine a released lot.
 */
const CUSTOMER_RETURN = defineMachine<LotStatus, Lot>({
  entity: 'lots',
  states: LOT_STATUSES,
  transitions: [{ name: 'return', from: ['released', 'shipped', 'consumed'], to: 'quarantine', event: INVENTORY_EVENTS.returned }],
});

const BACK_INTO_QUARANTINE: readonly LotStatus[] = ['released', 'shipped', 'consumed'];

const refuse = (detail: string, code: string, params: Record<string, string>) => new Conflict(detail, { code, params });

/**
 * Receives a customer's return: every lot of the pick's item, a serial only when it is not in
 * stock already, into a quarantine location of the site; else nothing is written and the reason
 * is the 409. Lots are locked in id order, so a return and a shipment of the same lot take turns.
 */
export async function receiveReturn(tx: Tx, input: ReturnReceiptInput): Promise<ReceivedReturn> {
  const location = await stockLocation(tx, input.locationId);
  if (location.kind !== 'quarantine') {
    throw refuse(
      `${location.code} is a ${location.kind} location: returned goods go into quarantine`,
      'error.inventory.location.notQuarantine',
      {
        location: location.code,
        kind: location.kind,
      },
    );
  }
  if (location.siteId !== input.siteId) {
    throw refuse(`${location.code} is at another site than the one the goods were shipped from`, 'error.inventory.return.otherSite', {
      location: location.code,
    });
  }
  const ids = [...new Set(input.lots.map((l) => l.lotId))].sort();
  await tx.query(sql`SELECT id FROM lots WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`);
  const operationId = uuidv7();
  const received: ReturnedLot[] = [];
  for (const pick of input.lots) {
    const lot = await getLot(tx, pick.lotId);
    if (lot.itemId !== pick.itemId) {
      throw refuse(`lot ${lot.number} is not a lot of the item returned on line ${pick.line}`, 'error.inventory.return.wrongItem', {
        lot: lot.number,
        line: String(pick.line),
      });
    }
    const quantity = positiveQuantity(pick.quantity);
    if (lot.kind === 'serial' && (!quantity.eq(1) || !dec(lot.onHand).isZero())) {
      throw refuse(
        quantity.eq(1) ? `serial ${lot.number} is in stock: it cannot come back from a customer` : `serial ${lot.number} is one unit`,
        quantity.eq(1) ? 'error.inventory.return.serialInStock' : 'error.inventory.serialQuantity',
        { lot: lot.number },
      );
    }
    await post(tx, {
      operationId,
      movementType: 'receipt',
      itemId: lot.itemId,
      lot,
      quantity,
      to: location,
      source: { ...input.source, line: pick.line },
      reason: input.reason,
    });
    const after = BACK_INTO_QUARANTINE.includes(lot.status)
      ? await changeStatus(tx, lot, 'quarantine', { comment: input.reason }, CUSTOMER_RETURN)
      : await getLot(tx, lot.id);
    received.push({
      line: pick.line,
      lotId: lot.id,
      number: lot.number,
      kind: lot.kind,
      quantity: decText(quantity),
      status: after.status,
    });
  }
  return { operationId, locationId: location.id, lots: received };
}
