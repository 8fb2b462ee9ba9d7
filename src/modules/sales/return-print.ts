import type { Tx } from '../../platform/db/index.js';
import { listSignatures } from '../../platform/esign/index.js';
import { type PrintableRecord, type SignatureEntry, signatureEntries, textKey } from '../../platform/pdf/index.js';
import { getCustomer, getItem, getLocations } from '../masterdata/index.js';
import { getCustomerReturn } from './returns.js';

const k = textKey;

/**
 * The return as a printed record (Part 11 §11.10(b)): customer, shipment and order it came from, the
 * reason, every lot or serial with what was authorised, received (where, by whom) and dispositioned,
 * every disposition with the NCR it raised, and each disposition's signature manifested.
 */
export async function customerReturnPrint(tx: Tx, id: string): Promise<PrintableRecord> {
  const r = await getCustomerReturn(tx, id);
  const customer = await getCustomer(tx, r.customerId);
  const items = new Map<string, { code: string; name: string; baseUnit: string }>();
  for (const l of r.lines) if (!items.has(l.itemId)) items.set(l.itemId, await getItem(tx, l.itemId));
  const locationIds = [
    ...new Set(
      [...r.lines.map((l) => l.quarantineLocationId), ...r.dispositions.map((d) => d.restockLocationId)].filter((x) => x !== null),
    ),
  ];
  const locations = new Map((await getLocations(tx, locationIds)).map((l) => [l.id, l.code]));
  const unitOf = new Map(r.lines.map((l) => [l.lineNo, items.get(l.itemId)!.baseUnit]));
  const signatures: SignatureEntry[] = [];
  for (const d of r.dispositions) {
    signatures.push(
      ...signatureEntries(
        await listSignatures(tx, 'customer_return_dispositions', d.id),
        k('sales.print.dispositionOf', { line: String(d.lineNo), lot: d.lotNumber }),
      ),
    );
  }
  return {
    recordType: k('sales.print.customerReturn'),
    number: r.number,
    recordId: r.id,
    status: k(`sales.returnStatuses.${r.status}`),
    siteId: r.siteId,
    fields: [
      { label: k('sales.print.customer'), value: `${customer.code} ${customer.name}` },
      { label: k('sales.print.shipment'), value: r.shipmentNumber },
      { label: k('sales.shipments.order'), value: r.orderNumber },
      { label: k('sales.returns.reason'), value: r.reason },
      { label: k('sales.returns.authorisedBy'), value: r.createdBy?.name ?? null },
      { label: k('sales.returns.authorisedAt'), value: { dateTime: r.createdAt } },
      { label: k('sales.returns.cancelReason'), value: r.cancelReason },
      { label: k('sales.returns.closedAt'), value: r.closedAt ? { dateTime: r.closedAt } : null },
    ],
    sections: [
      {
        heading: k('sales.returns.lines'),
        blocks: [
          {
            kind: 'table',
            columns: [
              { label: k('sales.print.line'), width: 0.6, align: 'right' },
              { label: k('sales.print.item'), width: 2.4 },
              { label: k('sales.print.lotOrSerial'), width: 2 },
              { label: k('sales.returns.authorised'), width: 1.2, align: 'right' },
              { label: k('sales.returns.received'), width: 1.2, align: 'right' },
              { label: k('sales.returns.dispositioned'), width: 1.2, align: 'right' },
              { label: k('sales.returns.quarantine'), width: 1.4 },
              { label: k('sales.returns.receivedBy'), width: 1.6 },
            ],
            rows: r.lines.map((l) => {
              const item = items.get(l.itemId)!;
              return [
                String(l.lineNo),
                `${item.code} ${item.name}`,
                l.lotNumber,
                { decimal: l.authorisedQuantity, unit: item.baseUnit },
                { decimal: l.receivedQuantity, unit: item.baseUnit },
                { decimal: l.dispositionedQuantity, unit: item.baseUnit },
                l.quarantineLocationId ? (locations.get(l.quarantineLocationId) ?? null) : null,
                l.receivedBy,
              ];
            }),
          },
        ],
      },
      {
        heading: k('sales.returns.dispositions'),
        blocks: [
          {
            kind: 'table',
            columns: [
              { label: k('sales.print.line'), width: 0.6, align: 'right' },
              { label: k('sales.print.lotOrSerial'), width: 2 },
              { label: k('sales.returns.disposition'), width: 1.4 },
              { label: k('sales.print.quantity'), width: 1.2, align: 'right' },
              { label: k('sales.returns.restockLocation'), width: 1.4 },
              { label: k('sales.returns.ncr'), width: 1.6 },
              { label: k('sales.returns.justification'), width: 3 },
            ],
            rows: r.dispositions.map((d) => [
              String(d.lineNo),
              d.lotNumber,
              k(`sales.returnDispositions.${d.kind}`),
              { decimal: d.quantity, unit: unitOf.get(d.returnLineNo) ?? undefined },
              d.restockLocationId ? (locations.get(d.restockLocationId) ?? null) : null,
              d.ncrNumber,
              d.justification,
            ]),
            empty: k('sales.returns.noDispositions'),
          },
        ],
      },
    ],
    signatures,
  };
}
