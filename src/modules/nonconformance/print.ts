import type { Tx } from '../../platform/db/index.js';
import { type Field, type PrintableRecord, signatureEntries, type Text, textKey } from '../../platform/pdf/index.js';
import { listSites } from '../../platform/tenancy/index.js';
import { getItem } from '../masterdata/index.js';
import { describeNcr, ncrSignatures } from './views.js';

const k = textKey;
const named = (n: { code: string; name: string } | null): string | null => (n ? `${n.code} ${n.name}` : null);

/**
 * The NCR as a printable record (Part 11 §11.10(b)): what was found and where, its defect codes,
 * containment, the affected lots with what is disposed and open, every MRB disposition, the
 * supplier notifications and every signature (each disposition's quality and engineering
 * signatures, the closure). An NCR raised against a supplier has no site of its own: it prints
 * under the tenant's first site by code, so every print of it is the same document.
 */
export async function ncrPrintRecord(tx: Tx, id: string): Promise<PrintableRecord> {
  const ncr = await describeNcr(tx, id);
  const signatures = await ncrSignatures(tx, id);
  const siteId = ncr.siteId ?? (await listSites(tx))[0]!.id;
  // An NCR covers lots of one item: every quantity on it is in that item's base unit.
  const unit = ncr.itemId ? (await getItem(tx, ncr.itemId)).baseUnit : undefined;
  const qty = (decimal: string): Text => ({ decimal, unit });
  const fields: Field[] = [
    { label: k('nonconformance.fields.source'), value: k(`nonconformance.sources.${ncr.source}`) },
    { label: k('nonconformance.fields.defectClass'), value: k(`nonconformance.defectClasses.${ncr.defectClass}`) },
    { label: k('nonconformance.print.item'), value: named(ncr.item) },
    { label: k('nonconformance.fields.supplier'), value: named(ncr.supplier) },
    {
      label: k('nonconformance.print.supplierCaused'),
      value: k(ncr.supplierCaused ? 'nonconformance.print.yes' : 'nonconformance.print.no'),
    },
    { label: k('nonconformance.fields.receipt'), value: ncr.receipt?.code ?? null },
    { label: k('nonconformance.fields.inspection'), value: ncr.inspection?.code ?? null },
    { label: k('nonconformance.fields.quantity'), value: qty(ncr.quantity) },
    { label: k('nonconformance.fields.openQuantity'), value: qty(ncr.openQuantity) },
    { label: k('nonconformance.fields.createdBy'), value: ncr.createdBy },
    { label: k('nonconformance.fields.createdAt'), value: { dateTime: ncr.createdAt } },
    { label: k('nonconformance.fields.closedAt'), value: ncr.closedAt ? { dateTime: ncr.closedAt } : null },
  ];
  return {
    recordType: k('nonconformance.print.record'),
    number: ncr.number,
    recordId: ncr.id,
    status: k(`nonconformance.statuses.${ncr.status}`),
    siteId,
    fields,
    sections: [
      {
        heading: k('nonconformance.fields.description'),
        blocks: [
          { kind: 'paragraph', text: ncr.description },
          {
            kind: 'fields',
            fields: [
              {
                label: k('nonconformance.fields.defectCodes'),
                value: ncr.defects.length ? ncr.defects.map((d) => `${d.code} ${d.name}`).join('; ') : null,
              },
              { label: k('nonconformance.fields.containment'), value: ncr.containment },
              ...(ncr.cancelReason ? [{ label: k('nonconformance.print.cancelReason'), value: ncr.cancelReason }] : []),
            ],
          },
        ],
      },
      {
        heading: k('nonconformance.affected.title'),
        blocks: [
          {
            kind: 'table',
            columns: [
              { label: '#', width: 0.4, align: 'right' },
              { label: k('nonconformance.fields.lot'), width: 2 },
              { label: k('nonconformance.fields.lotStatus'), width: 1.4 },
              { label: k('nonconformance.fields.quantity'), width: 1.2, align: 'right' },
              { label: k('nonconformance.fields.disposed'), width: 1.2, align: 'right' },
              { label: k('nonconformance.fields.openQuantity'), width: 1.2, align: 'right' },
              { label: k('nonconformance.print.reinspected'), width: 2 },
            ],
            rows: ncr.affected.map((a) => [
              String(a.lineNo),
              a.lotNumber,
              k(`inventory.lotStatuses.${a.lotStatus}`),
              qty(a.quantity),
              qty(a.disposed),
              qty(a.open),
              a.reinspectedAt ? { dateTime: a.reinspectedAt } : null,
            ]),
          },
        ],
      },
      {
        heading: k('nonconformance.disposition.title'),
        blocks: [
          {
            kind: 'table',
            columns: [
              { label: '#', width: 0.4, align: 'right' },
              { label: k('nonconformance.fields.lot'), width: 1.8 },
              { label: k('nonconformance.fields.kind'), width: 1.5 },
              { label: k('nonconformance.fields.quantity'), width: 1, align: 'right' },
              { label: k('nonconformance.fields.justification'), width: 3.2 },
              { label: k('nonconformance.fields.status'), width: 1.5 },
              { label: k('nonconformance.print.decided'), width: 2.2 },
            ],
            rows: ncr.dispositions.map((d) => [
              String(d.lineNo),
              d.lotNumber,
              k(`nonconformance.dispositionKinds.${d.kind}`),
              qty(d.quantity),
              d.justification,
              k(`nonconformance.dispositionStatuses.${d.status}`),
              k('nonconformance.print.by', { name: d.createdBy, at: { dateTime: d.createdAt } }),
            ]),
            empty: k('nonconformance.disposition.none'),
          },
        ],
      },
      ...(ncr.notifications.length
        ? [
            {
              heading: k('nonconformance.notifications.title'),
              blocks: [
                {
                  kind: 'table' as const,
                  columns: [
                    { label: k('nonconformance.print.sentAt'), width: 1.8 },
                    { label: k('nonconformance.fields.lots'), width: 1.8 },
                    { label: k('nonconformance.fields.quantity'), width: 1, align: 'right' as const },
                    { label: k('nonconformance.fields.supplierNotice'), width: 4 },
                  ],
                  rows: ncr.notifications.map((n) => [{ dateTime: n.sentAt }, n.lotNumbers.join(', '), qty(n.quantity), n.text]),
                },
              ],
            },
          ]
        : []),
    ],
    signatures: signatureEntries(signatures),
  };
}
