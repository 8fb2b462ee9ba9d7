import type { Tx } from '../../platform/db/index.js';
import {
  type Block,
  type Field,
  type PrintableRecord,
  type Section,
  signatureEntries,
  type Text,
  textKey,
} from '../../platform/pdf/index.js';
import type { DeviceHistoryRecord } from './contract.js';
import { deviceHistoryRecord } from './dhr.js';

const k = textKey;
const named = (n: { code: string; name: string } | null): string | null => (n ? `${n.code} ${n.name}` : null);
const at = (iso: string | null): Text | null => (iso ? { dateTime: iso } : null);
const by = (p: { name: string } | null, when: string): Text =>
  k('production.dhr.print.byAt', { name: p?.name ?? '—', at: { dateTime: when } });

/** Serial and lot numbers set four to a row: a 10,000-serial order prints on a few dozen pages, not hundreds. */
const PER_ROW = 4;

function limits(p: { lowerLimit: string | null; upperLimit: string | null; unit: string }): string {
  if (p.lowerLimit !== null && p.upperLimit !== null) return `${p.lowerLimit} – ${p.upperLimit} ${p.unit}`;
  if (p.lowerLimit !== null) return `≥ ${p.lowerLimit} ${p.unit}`;
  if (p.upperLimit !== null) return `≤ ${p.upperLimit} ${p.unit}`;
  return p.unit;
}

const table = (columns: Extract<Block, { kind: 'table' }>['columns'], rows: (Text | null)[][], empty: Text): Block => ({
  kind: 'table',
  columns,
  rows,
  empty,
});

function operationSections(dhr: DeviceHistoryRecord): Section[] {
  const ops = dhr.operations;
  const unit = dhr.quantities.unit;
  const qty = (d: string | null): Text | null => (d === null ? null : { decimal: d, unit });
  return [
    {
      heading: k('production.dhr.operations'),
      blocks: [
        table(
          [
            { label: '#', width: 0.5, align: 'right' },
            { label: k('production.operations.name'), width: 1.6 },
            { label: k('production.execution.workCenter'), width: 1.4 },
            { label: k('production.dhr.operator'), width: 1.2 },
            { label: k('production.execution.equipment'), width: 1.6 },
            { label: k('production.dhr.calibrationDue'), width: 1.3 },
            { label: k('production.dhr.startedAt'), width: 1.5 },
            { label: k('production.dhr.completedAt'), width: 1.5 },
            { label: k('production.dhr.good'), width: 0.9, align: 'right' },
            { label: k('production.dhr.scrap'), width: 1.1, align: 'right' },
            { label: k('production.dhr.rework'), width: 0.9, align: 'right' },
          ],
          ops.map((o) => [
            String(o.sequence),
            o.name,
            named(o.workCenter),
            o.operator?.name ?? null,
            named(o.equipment),
            o.calibration
              ? k(`production.dhr.calibration.${o.calibration}`, { due: o.calibrationDue ? { date: o.calibrationDue } : '—' })
              : null,
            at(o.startedAt),
            at(o.completedAt),
            qty(o.goodQuantity),
            o.scrapQuantity && o.scrapReason
              ? k('production.dhr.print.scrapWithReason', {
                  quantity: qty(o.scrapQuantity)!,
                  reason: k(`production.scrapReasons.${o.scrapReason}`),
                })
              : qty(o.scrapQuantity),
            qty(o.reworkQuantity),
          ]),
          k('production.operations.none'),
        ),
      ],
    },
    {
      heading: k('production.execution.parameters'),
      blocks: [
        table(
          [
            { label: '#', width: 0.5, align: 'right' },
            { label: k('production.dhr.parameter'), width: 2 },
            { label: k('production.dhr.limits'), width: 1.6 },
            { label: k('production.dhr.value'), width: 1.1, align: 'right' },
            { label: k('production.dhr.withinLimits'), width: 1.3 },
            { label: k('production.dhr.recorded'), width: 2.6 },
          ],
          ops.flatMap((o) =>
            o.parameters.flatMap((p) =>
              p.values.map((v) => [
                String(o.sequence),
                p.name,
                limits(p),
                `${v.value} ${p.unit}`,
                v.withinLimits ? k('production.dhr.print.within') : k('production.dhr.print.outside', { ncr: v.ncrNumber ?? '—' }),
                by(v.recordedBy, v.recordedAt),
              ]),
            ),
          ),
          k('production.dhr.noParameters'),
        ),
      ],
    },
    {
      heading: k('production.dhr.inspections'),
      blocks: [
        table(
          [
            { label: '#', width: 0.5, align: 'right' },
            { label: k('production.dhr.check'), width: 2.6 },
            { label: k('production.dhr.result'), width: 0.9 },
            { label: k('production.execution.note'), width: 2.2 },
            { label: k('production.dhr.recorded'), width: 2.4 },
          ],
          ops.flatMap((o) =>
            o.checks.map((c) => [
              String(o.sequence),
              c.point ? `${c.point}` : k(`production.checkKinds.${c.kind}`),
              k(`production.checkResults.${c.result}`),
              c.note,
              by(c.recordedBy, c.recordedAt),
            ]),
          ),
          k('production.dhr.noInspections'),
        ),
      ],
    },
    ...(ops.some((o) => o.downtime.length)
      ? [
          {
            heading: k('production.execution.downtime'),
            blocks: [
              table(
                [
                  { label: '#', width: 0.5, align: 'right' },
                  { label: k('production.execution.downtimeReason'), width: 1.6 },
                  { label: k('production.execution.note'), width: 2.4 },
                  { label: k('production.dhr.from'), width: 1.6 },
                  { label: k('production.dhr.to'), width: 1.6 },
                  { label: k('production.dhr.operator'), width: 1.2 },
                ],
                ops.flatMap((o) =>
                  o.downtime.map((d) => [
                    String(o.sequence),
                    k(`production.downtimeReasons.${d.reason}`),
                    d.note,
                    { dateTime: d.startedAt },
                    at(d.endedAt),
                    d.recordedBy?.name ?? null,
                  ]),
                ),
                k('production.dhr.noDowntime'),
              ),
            ],
          },
        ]
      : []),
  ];
}

/**
 * The device history record as a printable record (Part 11 §11.10(b), ISO 13485 7.5.1): dates and
 * quantities, the frozen revisions and the material lots consumed, every operation with its
 * operator, equipment and calibration, every parameter value and inspection result, the output
 * with every lot or serial made, NCRs, the deviation, labels and the review and release signatures.
 */
export async function dhrPrintRecord(tx: Tx, id: string): Promise<PrintableRecord> {
  const dhr = await deviceHistoryRecord(tx, id);
  const wo = dhr.workOrder;
  const unit = dhr.quantities.unit;
  const qty = (decimal: string, u = unit): Text => ({ decimal, unit: u });
  const fields: Field[] = [
    { label: k('production.orders.item'), value: `${wo.itemCode} ${wo.itemName}` },
    { label: k('production.orders.revision'), value: wo.revision },
    { label: k('production.orders.site'), value: named(dhr.site) },
    { label: k('production.orders.frozenOn'), value: wo.frozenOn ? { date: wo.frozenOn } : null },
    { label: k('production.dhr.deviation'), value: dhr.deviation ? `${dhr.deviation.number} ${dhr.deviation.title}` : null },
    { label: k('production.dhr.ordered'), value: qty(dhr.quantities.ordered) },
    { label: k('production.dhr.made'), value: qty(dhr.quantities.made) },
    { label: k('production.dhr.scrapped'), value: qty(dhr.quantities.scrapped) },
    { label: k('production.dhr.releasedQuantity'), value: qty(dhr.quantities.released) },
    { label: k('production.dhr.releasedAt'), value: at(dhr.dates.releasedAt) },
    { label: k('production.dhr.firstStartedAt'), value: at(dhr.dates.firstStartedAt) },
    { label: k('production.dhr.lastCompletedAt'), value: at(dhr.dates.lastCompletedAt) },
    { label: k('production.dhr.reviewedAt'), value: at(dhr.dates.reviewedAt) },
    { label: k('production.dhr.outputReleasedAt'), value: at(dhr.dates.releasedOutputAt) },
  ];
  const lots = dhr.output.lots;
  const numberRows: (Text | null)[][] = [];
  for (let i = 0; i < lots.length; i += PER_ROW) {
    const row = lots.slice(i, i + PER_ROW).map((l) => (l.kind === 'serial' ? l.number : `${l.number} (${l.quantity} ${unit})`));
    numberRows.push([...row, ...Array<null>(PER_ROW - row.length).fill(null)]);
  }
  return {
    recordType: k('production.dhr.record'),
    number: wo.number,
    recordId: wo.id,
    status: k(`production.dhr.statuses.${wo.dhrStatus}`),
    siteId: wo.siteId,
    fields,
    sections: [
      {
        heading: k('production.materials.title'),
        blocks: [
          table(
            [
              { label: '#', width: 0.4, align: 'right' },
              { label: k('production.materials.component'), width: 2.4 },
              { label: k('production.orders.revision'), width: 1 },
              { label: k('production.materials.required'), width: 1.2, align: 'right' },
              { label: k('production.materials.issued'), width: 1.2, align: 'right' },
              { label: k('production.dhr.lots'), width: 3.4 },
            ],
            dhr.materials.map((m) => [
              String(m.lineNo),
              named(m.component),
              m.revision,
              qty(m.requiredQuantity, m.baseUnit),
              qty(m.issuedQuantity, m.baseUnit),
              m.lots.map((l) => `${l.lotNumber}${l.supplierLot ? ` [${l.supplierLot}]` : ''}: ${l.quantity}`).join('; ') || null,
            ]),
            k('production.dhr.noMaterials'),
          ),
        ],
      },
      ...operationSections(dhr),
      {
        heading: k('production.output.title'),
        blocks: [
          table(
            [
              { label: k('production.output.quantity'), width: 1.2, align: 'right' },
              { label: k('production.output.lotCount'), width: 1, align: 'right' },
              { label: k('production.output.reasonLabel'), width: 3 },
              { label: k('production.dhr.recorded'), width: 2.4 },
            ],
            dhr.output.reports.map((r) => [qty(r.quantity), String(r.lotCount), r.reason, by(r.createdBy, r.createdAt)]),
            k('production.output.none'),
          ),
          {
            kind: 'paragraph',
            text: k('production.dhr.print.lotsMade', { count: String(lots.length) }),
          },
          table(
            Array.from({ length: PER_ROW }, () => ({ label: k('production.output.number') })),
            numberRows,
            k('production.output.none'),
          ),
        ],
      },
      {
        heading: k('production.dhr.ncrs'),
        blocks: [
          table(
            [
              { label: k('production.dhr.ncr'), width: 1.4 },
              { label: k('production.orders.status'), width: 1 },
              { label: k('production.dhr.defectClass'), width: 1 },
              { label: k('production.dhr.description'), width: 4.6 },
            ],
            dhr.ncrs.map((n) => [
              n.number,
              k(`nonconformance.statuses.${n.status}`),
              k(`nonconformance.defectClasses.${n.defectClass}`),
              n.description,
            ]),
            k('production.dhr.noNcrs'),
          ),
        ],
      },
      {
        heading: k('production.dhr.labels'),
        blocks: [
          table(
            [
              { label: k('production.dhr.labelJob'), width: 3 },
              { label: k('production.dhr.labelsPrinted'), width: 1, align: 'right' },
              { label: k('production.dhr.labelsUsed'), width: 1, align: 'right' },
              { label: k('production.dhr.labelsDestroyed'), width: 1, align: 'right' },
              { label: k('production.dhr.recorded'), width: 2.4 },
              { label: k('production.dhr.labelInspection'), width: 2.6 },
            ],
            dhr.labels.jobs.map((j) => [
              j.description,
              String(j.printed),
              j.used === null ? null : String(j.used),
              j.destroyed === null ? null : String(j.destroyed),
              by(j.printedBy, j.printedAt),
              j.inspection
                ? k('production.dhr.print.inspected', {
                    result: k(`production.dhr.labelInspectionResult.${j.inspection.result}`),
                    name: j.inspection.inspectedBy?.name ?? '—',
                    at: { dateTime: j.inspection.inspectedAt },
                    meaning: k('esign.meaning.verified'),
                  })
                : k('production.dhr.labelNotInspected'),
            ]),
            k('production.dhr.noLabels'),
          ),
        ],
      },
    ],
    signatures: signatureEntries(dhr.signatures),
  };
}
