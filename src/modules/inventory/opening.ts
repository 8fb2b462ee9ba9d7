import { withChangeReason } from '../../platform/audit/reason.js';
import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict } from '../../platform/errors.js';
import { INVENTORY_EVENTS } from './contract.js';
import { emitStockReceived } from './events.js';
import { fieldError } from './ledger.js';
import { ADMITS, stockLocation } from './places.js';
import { type LotStart, type ReceiptInput, type ReceivedStock, receive } from './receipts.js';

export interface OpeningStockInput extends Omit<ReceiptInput, 'movementType' | 'reference' | 'source'> {
  /** The status the stock has in the system Mediforge replaces. */
  status: LotStart['status'];
  /** For stock on hold: why it is held (the hold interrupted a release). */
  holdReason?: string | undefined;
  /** Where the stock comes from in that system, e.g. "legacy ERP lot 24-0815": the ledger reference and the recorded reason. */
  source: string;
}

/**
 * Stock taken over at go-live from the system Mediforge replaces: a lot that is released, on
 * hold or in quarantine there keeps that status here. Nothing is signed now — the release was
 * signed in the previous system — so the lot's first status entry, its ledger row and its audit
 * trail name the source instead. This is for migration (and the demo tenant's history), never a
 * way around incoming inspection: new goods arrive through `receiveIntoQuarantine`.
 */
export async function takeOverStock(tx: Tx, input: OpeningStockInput): Promise<ReceivedStock> {
  const source = input.source.trim();
  if (!source) throw fieldError('/source', 'stock taken over names where it comes from', 'error.inventory.reasonRequired');
  const location = await stockLocation(tx, input.locationId);
  if (!ADMITS[location.kind].includes(input.status)) {
    throw new Conflict(`a ${location.kind} location (${location.code}) does not take ${input.status.replace('_', ' ')} stock`, {
      code: 'error.inventory.location.refuses',
      params: { number: source, status: input.status, location: location.code, kind: location.kind },
    });
  }
  const start: LotStart =
    input.status === 'on_hold'
      ? { status: 'on_hold', heldFrom: 'released', holdReason: input.holdReason?.trim() || `on hold in ${source}` }
      : { status: input.status };
  const reason = `taken over from ${source}`;
  const received = await withChangeReason(tx, reason, async () => {
    // The previous system's name for the stock is the readable reference; the operation itself is the source.
    const { source: _takenFrom, status: _status, holdReason: _holdReason, ...goods } = input;
    const reference = { type: 'takeover', id: source.slice(0, 200) };
    const stock = await receive(tx, { ...goods, reference }, { location, start, ownKind: 'opening_balance' });
    for (const lot of stock.lots) {
      await tx.query(sql`INSERT INTO lot_status_changes (lot_id, from_status, to_status, reason)
        VALUES (${lot.id}, ${input.status}, ${input.status}, ${reason})`);
    }
    return stock;
  });
  await emitStockReceived(tx, INVENTORY_EVENTS.takenOver, received, location.siteId);
  return { operationId: received.operationId, quantity: received.quantity, lots: received.lots };
}
