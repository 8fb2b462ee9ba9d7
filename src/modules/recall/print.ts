import type { Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { type Block, type Field, type PrintableRecord, signatureEntries, type Text, textKey } from '../../platform/pdf/index.js';
import { listSites } from '../../platform/tenancy/index.js';
import { getUser } from '../identity/index.js';
import { getLot } from '../inventory/index.js';
import { getEquipment, getItem, getSupplier } from '../masterdata/index.js';
import type { AffectedLot, ReachedShipment, RecallStart } from './contract.js';
import { serialOrder } from './query.js';
import { recallDetail } from './records.js';

const k = textKey;

/** A number split into its text and its trailing digits: SN-0099 → SN- and 0099. */
const SPLIT = /^(.*?)(\d+)$/;

/** Whether `b` is the number after `a`: same text before, the digits one more (SN-0099 → SN-0100, SN-99 → SN-100). */
function follows(a: string, b: string): boolean {
  const [x, y] = [SPLIT.exec(a), SPLIT.exec(b)];
  if (!x || !y || x[1] !== y[1]) return false;
  const [dx, dy] = [x[2]!, y[2]!];
  const padded = (d: string) => d.length > 1 && d.startsWith('0');
  if (dx.length !== dy.length && (padded(dx) || padded(dy))) return false;
  return BigInt(dy) === BigInt(dx) + 1n;
}

/**
 * Lot and serial numbers as a person writes them down: runs of consecutive numbers as ranges
 * (SN-0001 – SN-0100), the rest one by one, so the thousands of serials a recall reaches print
 * in a few lines per order instead of a row each.
 */
export function numberRanges(numbers: readonly string[]): string {
  const sorted = [...new Set(numbers)].sort(serialOrder);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && follows(sorted[j]!, sorted[j + 1]!)) j++;
    parts.push(j === i ? sorted[i]! : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]} – ${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

const sum = (values: readonly string[]) => decText(values.reduce((acc, v) => acc.plus(dec(v)), new Decimal(0)));

/** Rows of things that print as one: in the order first met, each with its members. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const members = groups.get(key(row));
    if (members) members.push(row);
    else groups.set(key(row), [row]);
  }
  return [...groups.values()];
}

/** The affected lots one a row; serials of one item, level, status and place together, as ranges. */
function lotRows(lots: readonly AffectedLot[]): (Text | null)[][] {
  const groups = groupBy(lots, (l) =>
    l.kind === 'serial' ? ['serial', l.depth, l.itemId, l.status, l.finished, l.locations.join(',')].join('|') : `lot|${l.lotId}`,
  );
  return groups.map((g) => {
    const l = g[0]!;
    const numbers: Text =
      g.length > 1
        ? k('recall.serialsListed', { count: { decimal: String(g.length) }, numbers: numberRanges(g.map((s) => s.number)) })
        : l.number;
    return [
      String(l.depth),
      `${l.itemCode} ${l.itemName}`,
      numbers,
      k(`inventory.lotStatuses.${l.status}`),
      k(l.finished ? 'common.yes' : 'common.no'),
      { decimal: sum(g.map((x) => x.onHand)) },
      l.locations.join(', ') || null,
      { decimal: sum(g.map((x) => x.shipped)) },
    ];
  });
}

/** What each shipment carried of each item: its lots and serials as ranges, the quantities summed. */
function shipmentRows(shipments: readonly ReachedShipment[]): (Text | null)[][] {
  return groupBy(shipments, (s) => `${s.shipmentId}|${s.itemId}`).map((g) => {
    const s = g[0]!;
    return [
      s.shipmentNumber,
      { date: s.shippedOn },
      `${s.customerCode} ${s.customerName}`,
      s.shipToText,
      numberRanges(g.map((x) => x.lotNumber)),
      { decimal: sum(g.map((x) => x.quantity)) },
      { decimal: sum(g.map((x) => x.returned)) },
    ];
  });
}

/** The starting point in words, with the names of what it names. */
export async function describeStart(tx: Tx, start: RecallStart): Promise<Text> {
  const days = (s: { from: string; to: string }) => ({ from: { date: s.from }, to: { date: s.to } });
  switch (start.kind) {
    case 'supplier_lot': {
      const supplier = await getSupplier(tx, start.supplierId);
      return k('recall.describe.supplier_lot', { supplier: `${supplier.code} ${supplier.name}`, lot: start.supplierLot });
    }
    case 'component_lot': {
      const lot = await getLot(tx, start.lotId);
      const item = await getItem(tx, lot.itemId);
      return k('recall.describe.component_lot', { item: `${item.code} ${item.name}`, lot: lot.number });
    }
    case 'serial_range': {
      const item = await getItem(tx, start.itemId);
      return k('recall.describe.serial_range', { item: `${item.code} ${item.name}`, from: start.from, to: start.to });
    }
    case 'equipment': {
      const equipment = await getEquipment(tx, start.equipmentId);
      return k('recall.describe.equipment', { equipment: `${equipment.code} ${equipment.name}`, ...days(start) });
    }
    case 'operator': {
      const user = await getUser(tx, start.operatorId);
      return k('recall.describe.operator', { operator: `${user.fullName} (${user.login})`, ...days(start) });
    }
  }
}

const table = (columns: Extract<Block, { kind: 'table' }>['columns'], rows: (Text | null)[][], empty: Text): Block => ({
  kind: 'table',
  columns,
  rows,
  empty,
});

/** The recall report: the question, classification and deadlines, every affected lot, every customer and shipment, notices, effectiveness, signatures. */
export async function recallPrintRecord(tx: Tx, id: string): Promise<PrintableRecord> {
  const r = await recallDetail(tx, id);
  const a = r.answer;
  const t = a.totals;
  const level = (l: number | null, scheme: 'china' | 'fda'): Text | null => (l ? k(`recall.${scheme}Levels.${l}`) : null);
  const fields: Field[] = [
    { label: k('recall.title'), value: r.title },
    { label: k('recall.reason'), value: r.reason },
    { label: k('recall.start'), value: await describeStart(tx, r.start) },
    { label: k('recall.chinaLevel'), value: level(r.chinaLevel, 'china') },
    { label: k('recall.fdaClass'), value: level(r.fdaClass, 'fda') },
    { label: k('recall.healthHazard'), value: r.healthHazard },
    { label: k('recall.author'), value: r.author.name },
    { label: k('recall.snapshotAt'), value: { dateTime: r.snapshotAt } },
    { label: k('recall.initiatedOn'), value: r.initiatedOn ? { date: r.initiatedOn } : null },
    { label: k('recall.heldLotCount'), value: r.heldLotCount === null ? null : String(r.heldLotCount) },
    {
      label: k('recall.reportedOn'),
      value: r.reportedOn ? k('recall.reportedAs', { on: { date: r.reportedOn }, reference: r.reportReference ?? '' }) : null,
    },
    { label: k('recall.effectiveness'), value: { decimal: r.effectiveness ?? r.progress.effectiveness, unit: '%' } },
  ];
  const notified = new Map<string, string>();
  for (const n of r.notifications) if (!notified.has(n.customerId)) notified.set(n.customerId, n.sentOn);
  return {
    recordType: k('recall.record'),
    number: r.number,
    recordId: r.id,
    status: k(`recall.statuses.${r.status}`),
    siteId: r.siteId ?? (await listSites(tx))[0]!.id,
    fields,
    sections: [
      {
        heading: k('recall.deadlinesTitle'),
        blocks: [
          table(
            [
              { label: k('recall.deadline'), width: 4 },
              { label: k('recall.due'), width: 1.4 },
              { label: k('recall.deadlineState'), width: 1.2 },
            ],
            r.deadlines.map((d) => [
              k(`recall.deadlines.${d.kind}`, { days: String(d.everyDays ?? '') }),
              d.due ? { date: d.due } : null,
              k(`recall.deadlineStates.${d.state}`),
            ]),
            k('recall.noDeadlines'),
          ),
        ],
      },
      {
        heading: k('recall.summary'),
        blocks: [
          {
            kind: 'paragraph',
            text: k('recall.totalsText', {
              lots: String(t.lots),
              finished: String(t.finishedLots),
              units: { decimal: t.units },
              inStock: { decimal: t.inStock },
              shipped: { decimal: t.shipped },
              returned: { decimal: t.returned },
              customers: String(t.customers),
            }),
          },
          ...(a.truncated ? [{ kind: 'paragraph', text: k('recall.truncated') } as const] : []),
        ],
      },
      {
        heading: k('recall.customersTitle'),
        blocks: [
          table(
            [
              { label: k('recall.customer'), width: 2 },
              { label: k('recall.contact'), width: 2 },
              { label: k('recall.addresses'), width: 2.6 },
              { label: k('recall.shipmentCount'), width: 0.9, align: 'right' },
              { label: k('recall.lotCount'), width: 0.9, align: 'right' },
              { label: k('recall.quantity'), width: 1, align: 'right' },
              { label: k('recall.returned'), width: 1, align: 'right' },
              { label: k('recall.notifiedOn'), width: 1.2 },
            ],
            a.customers.map((c) => {
              const on = notified.get(c.customerId);
              return [
                `${c.code} ${c.name}`,
                c.contact || null,
                c.addresses.join('; '),
                String(c.shipments),
                String(c.lots),
                { decimal: c.quantity },
                { decimal: c.returned },
                on ? { date: on } : null,
              ];
            }),
            k('recall.noCustomers'),
          ),
        ],
      },
      {
        heading: k('recall.shipmentsTitle'),
        blocks: [
          table(
            [
              { label: k('recall.shipment'), width: 1.4 },
              { label: k('recall.shippedOn'), width: 1.1 },
              { label: k('recall.customer'), width: 2 },
              { label: k('recall.shipTo'), width: 2.6 },
              { label: k('recall.lot'), width: 1.6 },
              { label: k('recall.quantity'), width: 0.9, align: 'right' },
              { label: k('recall.returned'), width: 0.9, align: 'right' },
            ],
            shipmentRows(a.shipments),
            k('recall.noShipments'),
          ),
        ],
      },
      {
        heading: k('recall.lotsTitle'),
        blocks: [
          table(
            [
              { label: k('recall.depth'), width: 0.6, align: 'right' },
              { label: k('recall.item'), width: 2.4 },
              { label: k('recall.lot'), width: 1.8 },
              { label: k('recall.lotStatus'), width: 1.1 },
              { label: k('recall.finished'), width: 0.8 },
              { label: k('recall.onHand'), width: 1, align: 'right' },
              { label: k('recall.locations'), width: 1.6 },
              { label: k('recall.shipped'), width: 1, align: 'right' },
            ],
            lotRows(a.lots),
            k('recall.noLots'),
          ),
        ],
      },
      {
        heading: k('recall.notificationsTitle'),
        blocks: [
          table(
            [
              { label: k('recall.customer'), width: 2 },
              { label: k('recall.method'), width: 1 },
              { label: k('recall.sentOn'), width: 1.1 },
              { label: k('recall.sentTo'), width: 2 },
              { label: k('recall.sentBy'), width: 1.3 },
              { label: k('recall.acknowledged'), width: 2.2 },
              { label: k('recall.unitsAccounted'), width: 1, align: 'right' },
            ],
            r.notifications.map((n) => [
              n.customerName,
              k(`recall.methods.${n.method}`),
              { date: n.sentOn },
              n.sentTo,
              n.sentBy,
              n.acknowledgedOn ? k('recall.acknowledgedBy', { by: n.acknowledgedBy ?? '', on: { date: n.acknowledgedOn } }) : null,
              n.unitsAccounted === null ? null : { decimal: n.unitsAccounted },
            ]),
            k('recall.noNotifications'),
          ),
        ],
      },
    ],
    signatures: signatureEntries(r.signatures),
  };
}
