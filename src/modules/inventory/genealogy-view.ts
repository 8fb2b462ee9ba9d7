import type { TFunction } from 'i18next';
import { csvText } from '../../platform/csv.js';
import { sql, type Tx } from '../../platform/db/index.js';
import { namesById } from '../../platform/module.js';
import { type PrintableRecord, type TableColumn, type Text, textKey } from '../../platform/pdf/index.js';
import { listSites, type TenantContext } from '../../platform/tenancy/index.js';
import { getItem } from '../masterdata/index.js';
import { type Lot, type Trace, type TraceDirection, type TracedLot, traceInTreeOrder } from './contract.js';
import { type TraceOptions, traceBackward, traceForward } from './genealogy.js';
import { getLot } from './lots.js';
import type { RecordNameBook } from './views.js';

/**
 * A trace as a quality engineer reads it: each lot with the number of the work order that linked
 * it and, for a lot received from a supplier, the supplier and the supplier's lot number — the
 * end of a backward trace. Read set-based after the trace (one query on lots, one name look-up
 * per kind of record), so the trace statement itself stays as it is.
 */

const k = textKey;
const TRACE = { forward: traceForward, backward: traceBackward } as const;

/** The trace with work order numbers and supplier origins filled in. */
async function describeTrace(tx: Tx, trace: Trace, book?: RecordNameBook): Promise<Trace> {
  if (trace.lots.length === 0) return trace;
  const { rows: origins } = await tx.query<{ id: string; supplierId: string | null; supplierLot: string | null }>(
    sql`SELECT id, supplier_id AS "supplierId", supplier_lot AS "supplierLot" FROM lots
         WHERE tenant_id = mf_current_tenant() AND id = ANY(${trace.lots.map((l) => l.lotId)}::uuid[])
           AND (supplier_id IS NOT NULL OR supplier_lot IS NOT NULL)`,
  );
  const origin = new Map(origins.map((o) => [o.id, o]));
  const named = (column: string, ids: Iterable<string>) => namesById(tx, book?.get(column), ids);
  const workOrders = await named(
    'work_order_id',
    trace.lots.map((l) => l.workOrderId),
  );
  const suppliers = await named(
    'supplier_id',
    origins.flatMap((o) => (o.supplierId ? [o.supplierId] : [])),
  );
  return {
    ...trace,
    lots: trace.lots.map((l): TracedLot => {
      const o = origin.get(l.lotId);
      const supplier = o?.supplierId ? suppliers.get(o.supplierId) : undefined;
      const workOrder = workOrders.get(l.workOrderId);
      return {
        ...l,
        ...(workOrder ? { workOrderNumber: workOrder.code } : {}),
        ...(supplier ? { supplier: { id: supplier.id, code: supplier.code, name: supplier.name } } : {}),
        ...(o?.supplierLot ? { supplierLot: o.supplierLot } : {}),
      };
    }),
  };
}

/** One direction of a lot's genealogy, described. */
export async function genealogyView(
  tx: Tx,
  direction: TraceDirection,
  lotId: string,
  opts: TraceOptions,
  book?: RecordNameBook,
): Promise<Trace> {
  return describeTrace(tx, await TRACE[direction](tx, lotId, opts), book);
}

/** The lot a traced lot was reached through, by number: the start lot's own number for a direct link. */
function viaNumber(trace: Trace, start: Pick<Lot, 'number'>): (lot: TracedLot) => string {
  const numbers = new Map(trace.lots.map((l) => [l.lotId, l.number]));
  return (lot) => (lot.viaLotId === trace.lotId ? start.number : (numbers.get(lot.viaLotId) ?? lot.viaLotId));
}

/** The genealogy of one direction as CSV: every traced lot in tree order, headers and labels in the reader's language. */
export function genealogyCsv(trace: Trace, start: Pick<Lot, 'number'>, t: TFunction): string {
  const via = viaNumber(trace, start);
  const g = (key: string) => t(`inventory.genealogy.${key}`);
  return csvText(
    [g('depth'), g('lot'), g('kind'), g('itemCode'), g('itemName'), g('status'), g('via'), g('workOrder'), g('supplier'), g('supplierLot')],
    traceInTreeOrder(trace).map((l) => [
      String(l.depth),
      l.number,
      t(`inventory.lotKinds.${l.kind}`),
      l.itemCode,
      l.itemName,
      t(`inventory.lotStatuses.${l.status}`),
      via(l),
      l.workOrderNumber ?? '',
      l.supplier ? `${l.supplier.code} ${l.supplier.name}` : '',
      l.supplierLot ?? '',
    ]),
  );
}

/** The printed tree: its order and indentation show which lot each was reached through, so that column is left to the CSV. */
const COLUMNS: readonly TableColumn[] = [
  { label: k('inventory.genealogy.depth'), width: 0.8, align: 'right' },
  { label: k('inventory.genealogy.lot'), width: 2.8 },
  { label: k('inventory.genealogy.kind'), width: 0.9 },
  { label: k('inventory.genealogy.item'), width: 2.3 },
  { label: k('inventory.genealogy.status'), width: 1.4 },
  { label: k('inventory.genealogy.workOrder'), width: 2.2 },
  { label: k('inventory.genealogy.supplier'), width: 2.6 },
];

/** One direction as a printed section: an indented tree (a dot per level below the first), a note when the trace was cut. */
function traceSection(trace: Trace, heading: string, empty: string) {
  const rows = traceInTreeOrder(trace).map((l): (Text | null)[] => [
    String(l.depth),
    `${'· '.repeat(l.depth - 1)}${l.number}`,
    k(`inventory.lotKinds.${l.kind}`),
    `${l.itemCode} ${l.itemName}`,
    k(`inventory.lotStatuses.${l.status}`),
    l.workOrderNumber ?? null,
    l.supplier || l.supplierLot
      ? [l.supplier ? `${l.supplier.code} ${l.supplier.name}` : '', l.supplierLot ?? ''].filter(Boolean).join(' / ')
      : null,
  ]);
  return {
    heading: k(heading),
    blocks: [
      { kind: 'table' as const, columns: COLUMNS, rows, empty: k(empty) },
      ...(trace.truncated
        ? [{ kind: 'paragraph' as const, text: k('inventory.genealogy.truncated', { count: String(trace.lots.length) }) }]
        : []),
    ],
  };
}

/**
 * A lot's genealogy as a printable document: where it was used and what it was made from, each
 * to the standard depth and limit. Lots belong to no site, so the document prints under the
 * reader's site (its time zone), else the tenant's first site.
 */
export async function genealogyPrintRecord(tx: Tx, ctx: TenantContext, lotId: string, book?: RecordNameBook): Promise<PrintableRecord> {
  const lot = await getLot(tx, lotId);
  const item = await getItem(tx, lot.itemId);
  const forward = await genealogyView(tx, 'forward', lotId, {}, book);
  const backward = await genealogyView(tx, 'backward', lotId, {}, book);
  const supplier = lot.supplierId ? (await book?.get('supplier_id')?.(tx, [lot.supplierId]))?.[0] : undefined;
  return {
    recordType: k('inventory.genealogy.record'),
    number: lot.number,
    recordId: lot.id,
    status: k(`inventory.lotStatuses.${lot.status}`),
    siteId: ctx.siteId ?? (await listSites(tx))[0]!.id,
    fields: [
      { label: k('inventory.genealogy.item'), value: `${item.code} ${item.name}` },
      { label: k('inventory.genealogy.kind'), value: k(`inventory.lotKinds.${lot.kind}`) },
      { label: k('inventory.genealogy.supplier'), value: supplier ? `${supplier.code} ${supplier.name}` : null },
      { label: k('inventory.genealogy.supplierLot'), value: lot.supplierLot },
      { label: k('inventory.genealogy.maxDepth'), value: String(forward.maxDepth) },
    ],
    sections: [
      traceSection(forward, 'inventory.genealogy.whereUsed', 'inventory.genealogy.noneForward'),
      traceSection(backward, 'inventory.genealogy.madeFrom', 'inventory.genealogy.noneBackward'),
    ],
    signatures: [],
  };
}
