import { addDays } from '../../platform/dates.js';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { type Decimal, decText } from '../../platform/decimal.js';
import { Conflict, type FieldError, invalidFields } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { siteToday } from '../../platform/tenancy/index.js';
import type { Reference, SourceKind, SourceLink } from './contract.js';
import { INVENTORY_EVENTS, type StockReceived } from './contract.js';
import { emitStockReceived } from './events.js';
import { fieldError, positiveQuantity, quantityOf } from './ledger.js';
import {
  activeLocation,
  asStockItem,
  assertRevisionOf,
  inBaseUnit,
  type MasterItem,
  type MasterLocation,
  type StockItem,
  type StockLocation,
  stockItem,
  stockLocation,
} from './places.js';

export const SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,79}$/;

export interface ReceiptInput {
  itemId: string;
  itemRevisionId?: string | undefined;
  /** A quarantine location: received stock waits there for acceptance. */
  locationId: string;
  /** `receipt` from a supplier (purchasing), `production_output` from a work order (production). */
  movementType?: 'receipt' | 'production_output' | undefined;
  /** Quantity for lot-controlled and untracked items, in `unit` (default: the item's base unit). */
  quantity?: string | undefined;
  unit?: string | undefined;
  /** One per unit, for serial-controlled items. */
  serials?: string[] | undefined;
  supplierId?: string | undefined;
  supplierLot?: string | undefined;
  manufacturedOn?: string | undefined;
  /** Defaults to the manufacture date plus the item's shelf life. */
  expiresOn?: string | undefined;
  reference?: Reference | undefined;
  /** The record the goods arrive for (a purchase receipt and its order line); default the receipt itself. */
  source?: SourceLink | undefined;
}

/**
 * What the caller already read in this transaction, through masterdata, so a receipt reads each
 * record once: the item, the location, and today's date at the location's site.
 */
export interface AlreadyRead {
  item?: MasterItem | undefined;
  location?: MasterLocation | undefined;
  today?: string | undefined;
}

export interface ReceivedStock {
  operationId: string;
  quantity: string;
  lots: Array<{ id: string; number: string }>;
}

/**
 * Receives stock into quarantine: creates the lot (or one lot-of-one per serial) and the receipt
 * movements. Serials go in with two set-based statements whatever their number, so a receipt of
 * 10,000 serials costs about what the same rows inserted by hand cost.
 */
export async function receiveIntoQuarantine(tx: Tx, input: ReceiptInput, read: AlreadyRead = {}): Promise<ReceivedStock> {
  const location = read.location?.id === input.locationId ? activeLocation(read.location) : await stockLocation(tx, input.locationId);
  if (location.kind !== 'quarantine') {
    throw new Conflict(`${location.code} is a ${location.kind} location: receipts go into quarantine`, {
      code: 'error.inventory.location.notQuarantine',
      params: { location: location.code, kind: location.kind },
    });
  }
  const received = await receive(tx, input, { location, start: QUARANTINE, ownKind: 'stock_receipt', read });
  await emitStockReceived(tx, INVENTORY_EVENTS.quarantined, received, location.siteId);
  return { operationId: received.operationId, quantity: received.quantity, lots: received.lots };
}

/** The status a new lot starts in; only stock taken over at go-live starts anywhere but quarantine. */
export interface LotStart {
  status: 'quarantine' | 'released' | 'on_hold';
  /** For a lot on hold: the status the hold interrupted, and why it was put on hold. */
  heldFrom?: 'quarantine' | 'released' | undefined;
  holdReason?: string | undefined;
}
const QUARANTINE: LotStart = { status: 'quarantine' };

/** Where received stock goes, the status its lot starts in, and how the operation names itself without a source record. */
export interface Receiving {
  location: StockLocation;
  start: LotStart;
  ownKind: Extract<SourceKind, 'stock_receipt' | 'opening_balance'>;
  read?: AlreadyRead | undefined;
}

/** Creates the lot (or one lot-of-one per serial) in its starting status and the receipt movements. */
export async function receive(tx: Tx, input: ReceiptInput, to: Receiving): Promise<ReceivedStock & StockReceived> {
  const { location, start, read = {} } = to;
  const item = read.item?.id === input.itemId ? asStockItem(read.item) : await stockItem(tx, input.itemId);
  if (input.itemRevisionId) await assertRevisionOf(tx, item, input.itemRevisionId);
  const dates = lotDates(item, input);
  const wrong = lotDateErrors(dates, read.today ?? (await siteToday(tx, location.siteId)));
  if (wrong.length) throw invalidFields('the lot dates are not plausible', wrong, 'error.lot.dates');
  const operationId = uuidv7();
  const booking: Booking = { operationId, source: input.source ?? { kind: to.ownKind, id: operationId } };
  const received =
    item.tracking === 'serial'
      ? await receiveSerials(tx, item, location, input, dates, start, booking)
      : await receiveQuantity(
          tx,
          item,
          location,
          input,
          dates,
          start,
          booking,
          quantityOf(item, await inBaseUnit(tx, item, input.quantity ?? '', input.unit)),
        );
  return { ...received, itemId: item.id, locationId: location.id, movementType: input.movementType ?? 'receipt' };
}

/** The operation a receipt's rows share and the record they are written for. */
interface Booking {
  operationId: string;
  source: SourceLink;
}

interface LotDates {
  manufacturedOn: string | null;
  expiresOn: string | null;
}

/** An ISO date `years` away from another. */
const yearsFrom = (isoDate: string, years: number): string =>
  `${String(Number(isoDate.slice(0, 4)) + years).padStart(4, '0')}${isoDate.slice(4)}`;

/**
 * What is implausible about a lot's dates on `today` (the receiving site's): made in the future,
 * expiring before it was made, made more than fifty years ago, or expiring more than a century away.
 */
export function lotDateErrors(
  dates: { manufacturedOn?: string | null | undefined; expiresOn?: string | null | undefined },
  today: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const { manufacturedOn, expiresOn } = dates;
  if (manufacturedOn && manufacturedOn > today) {
    errors.push({
      pointer: '/body/manufacturedOn',
      message: `is after today (${today})`,
      code: 'error.lot.manufacturedInFuture',
      params: { today },
    });
  } else if (manufacturedOn && manufacturedOn < yearsFrom(today, -50)) {
    errors.push({ pointer: '/body/manufacturedOn', message: 'is more than fifty years ago', code: 'error.date.implausible' });
  }
  if (expiresOn && manufacturedOn && expiresOn <= manufacturedOn) {
    errors.push({ pointer: '/body/expiresOn', message: 'must be after the manufacture date', code: 'error.lot.expiresBeforeManufacture' });
  } else if (expiresOn && (expiresOn > yearsFrom(today, 100) || expiresOn < yearsFrom(today, -50))) {
    errors.push({ pointer: '/body/expiresOn', message: 'is implausibly far away', code: 'error.date.implausible' });
  }
  return errors;
}

function lotDates(item: StockItem, input: ReceiptInput): LotDates {
  const manufacturedOn = input.manufacturedOn ?? null;
  if (input.expiresOn || !manufacturedOn || !item.shelfLifeDays) return { manufacturedOn, expiresOn: input.expiresOn ?? null };
  return { manufacturedOn, expiresOn: addDays(manufacturedOn, item.shelfLifeDays) };
}

const MOVEMENT_INSERT = `INSERT INTO stock_movements (operation_id, movement_type, item_id, lot_id, quantity,
  to_location_id, to_site_id, reference_type, reference_id, source_kind, source_id, source_line)`;

async function receiveQuantity(
  tx: Tx,
  item: StockItem,
  location: StockLocation,
  input: ReceiptInput,
  dates: LotDates,
  start: LotStart,
  booking: Booking,
  quantity: Decimal,
): Promise<ReceivedStock> {
  if (input.serials?.length) throw fieldError('/body/serials', `item ${item.code} is not serial-controlled`, 'error.inventory.notSerial');
  const { operationId } = booking;
  let lot: { id: string; number: string } | null = null;
  if (item.tracking === 'lot') {
    const number = await nextNumber(tx, 'LOT');
    const { rows } = await tx.query<{ id: string; number: string }>(sql`INSERT INTO lots
        (id, item_id, item_revision_id, kind, number, supplier_id, supplier_lot, manufactured_on, expires_on,
         status, held_from, hold_reason)
      VALUES (${uuidv7()}, ${item.id}, ${input.itemRevisionId ?? null}, 'lot', ${number}, ${input.supplierId ?? null},
        ${input.supplierLot ?? null}, ${dates.manufacturedOn}, ${dates.expiresOn},
        ${start.status}, ${start.heldFrom ?? null}, ${start.holdReason ?? null})
      RETURNING id, number`);
    lot = rows[0]!;
  }
  const { source } = booking;
  await tx.query(sql`${raw(MOVEMENT_INSERT)} VALUES (${operationId}, ${input.movementType ?? 'receipt'}, ${item.id}, ${lot?.id ?? null},
      ${decText(quantity)}, ${location.id}, ${location.siteId}, ${input.reference?.type ?? null}, ${input.reference?.id ?? null},
      ${source.kind}, ${source.id}, ${source.line ?? null})`);
  return { operationId, quantity: decText(quantity), lots: lot ? [lot] : [] };
}

async function receiveSerials(
  tx: Tx,
  item: StockItem,
  location: StockLocation,
  input: ReceiptInput,
  dates: LotDates,
  start: LotStart,
  booking: Booking,
): Promise<ReceivedStock> {
  const serials = checkedSerials(item, input);
  const taken = await tx.query<{ number: string }>(
    sql`SELECT number FROM lots WHERE item_id = ${item.id} AND kind = 'serial' AND number = ANY(${serials}::text[]) LIMIT 5`,
  );
  if (taken.rowCount > 0) {
    const numbers = taken.rows.map((r) => r.number).join(', ');
    throw new Conflict(`serial number(s) ${numbers} of item ${item.code} already exist`, {
      code: 'error.inventory.serial.exists',
      params: { item: item.code, serials: numbers },
    });
  }
  const { operationId, source } = booking;
  const { rows } = await tx.query<{ id: string; number: string }>(
    sql`WITH received AS (
       INSERT INTO lots (item_id, item_revision_id, kind, number, supplier_id, supplier_lot, manufactured_on, expires_on,
                         status, held_from, hold_reason)
       SELECT ${item.id}, ${input.itemRevisionId ?? null}, 'serial', serial, ${input.supplierId ?? null}, ${input.supplierLot ?? null}, ${dates.manufacturedOn}, ${dates.expiresOn}, ${start.status}, ${start.heldFrom ?? null}, ${start.holdReason ?? null}
         FROM unnest(${serials}::text[]) WITH ORDINALITY AS s(serial, n) ORDER BY n
       RETURNING id, number),
     moved AS (
       ${raw(MOVEMENT_INSERT)}
       SELECT ${operationId}, ${input.movementType ?? 'receipt'}, ${item.id}, id, 1, ${location.id}, ${location.siteId},
         ${input.reference?.type ?? null}, ${input.reference?.id ?? null}, ${source.kind}, ${source.id}, ${source.line ?? null} FROM received)
     SELECT id, number FROM received`,
  );
  return { operationId, quantity: String(serials.length), lots: rows };
}

function checkedSerials(item: StockItem, input: ReceiptInput): string[] {
  const serials = input.serials ?? [];
  if (serials.length === 0)
    throw fieldError('/body/serials', `item ${item.code} is serial-controlled: list the serial numbers`, 'error.inventory.serialsRequired');
  if (input.quantity !== undefined && !positiveQuantity(input.quantity).eq(serials.length)) {
    throw fieldError(
      '/body/quantity',
      `quantity ${input.quantity} differs from the ${serials.length} serials listed`,
      'error.inventory.serialCount',
    );
  }
  const bad = serials.findIndex((s) => !SERIAL_PATTERN.test(s));
  if (bad >= 0) throw fieldError(`/body/serials/${bad}`, `"${serials[bad]}" is not a valid serial number`, 'error.inventory.serialFormat');
  const seen = new Set<string>();
  const dup = serials.findIndex((s) => seen.size === seen.add(s).size);
  if (dup >= 0) throw fieldError(`/body/serials/${dup}`, `serial ${serials[dup]} is listed twice`, 'error.inventory.serialDuplicate');
  return serials;
}
