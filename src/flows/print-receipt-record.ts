// The goods receipt and its incoming inspection printed as one record (GET /purchasing/receipts/:id/pdf,
// Part 11 §11.10(b)). It only reads, in the caller's transaction:
//   1. Purchasing gives the receipt, named (order and line, supplier, item, lot, conditions).
//   2. Quality gives the lot's incoming inspection, if one was opened: sampling plan, every
//      characteristic's result and who recorded it.
//   3. The signature kernel gives the inspection's signed decision and the lot's release or
//      rejection, each manifested on the page.
// Reading it needs both purchasing:read and quality:read; a missing receipt is 404.

import { describeReceipt, getReceipt, PURCHASING_PERMISSIONS, type Receipt } from '../modules/purchasing/index.js';
import { getInspection, type Inspection, listInspections, QUALITY_PERMISSIONS } from '../modules/quality/index.js';
import type { Tx } from '../platform/db/index.js';
import { listSignatures } from '../platform/esign/index.js';
import type { App } from '../platform/http/app.js';
import type { Module } from '../platform/module.js';
import { type Block, type Field, type PrintableRecord, printable, type Section, signatureEntries, textKey } from '../platform/pdf/index.js';

const k = textKey;
const named = (n: { code: string; name: string }): string => `${n.code} ${n.name}`;

function conditionsText(c: Receipt['conditions']): Field[] {
  return [
    ...(c.temperature
      ? [{ label: k('purchasing.print.temperature'), value: { decimal: c.temperature.value, unit: `°${c.temperature.unit}` } }]
      : []),
    ...(c.humidity ? [{ label: k('purchasing.print.humidity'), value: { decimal: c.humidity.value, unit: c.humidity.unit } }] : []),
  ];
}

function limitsText(c: Inspection['characteristics'][number]): string {
  if (c.lowerLimit === null && c.upperLimit === null) return '—';
  const unit = c.unit ? ` ${c.unit}` : '';
  if (c.lowerLimit !== null && c.upperLimit !== null) return `${c.lowerLimit} – ${c.upperLimit}${unit}`;
  return c.lowerLimit !== null ? `≥ ${c.lowerLimit}${unit}` : `≤ ${c.upperLimit}${unit}`;
}

function inspectionSection(inspection: Inspection): Section {
  const { plan } = inspection;
  const sampling: Block = {
    kind: 'fields',
    fields: [
      { label: k('quality.inspections.number'), value: inspection.number },
      { label: k('quality.inspections.status'), value: k(`quality.inspectionStatuses.${inspection.status}`) },
      { label: k('quality.sampling.lotSize'), value: String(inspection.lotSize) },
      { label: k('quality.sampling.level'), value: inspection.inspectionLevel },
      { label: k('quality.sampling.aql'), value: plan.aql },
      { label: k('quality.sampling.severity'), value: k(`quality.severities.${plan.severity}`) },
      { label: k('quality.sampling.codeLetter'), value: plan.codeLetter },
      { label: k('quality.sampling.sampleSize'), value: String(plan.sampleSize) },
      { label: k('quality.sampling.accept'), value: String(plan.accept) },
      { label: k('quality.sampling.reject'), value: String(plan.reject) },
      { label: k('quality.print.sampleNonconforming'), value: String(inspection.nonconforming) },
      { label: k('quality.print.verdict'), value: k(`quality.verdicts.${inspection.verdict}`) },
      { label: k('quality.inspections.decidedBy'), value: inspection.decidedBy },
      { label: k('quality.inspections.decidedAt'), value: inspection.decidedAt ? { dateTime: inspection.decidedAt } : null },
    ],
  };
  const results: Block = {
    kind: 'table',
    columns: [
      { label: k('quality.print.characteristic'), width: 2 },
      { label: k('quality.print.kind'), width: 1 },
      { label: k('quality.print.limits'), width: 1.3 },
      { label: k('quality.print.nonconforming'), width: 1.7, align: 'right' },
      { label: k('quality.print.measurements'), width: 2 },
      { label: k('quality.print.recorded'), width: 2.6 },
    ],
    rows: inspection.characteristics.map((c) => {
      const r = inspection.results.find((x) => x.characteristicId === c.id);
      return [
        c.name,
        k(`quality.characteristicKinds.${c.kind}`),
        limitsText(c),
        r ? String(r.defectives) : null,
        r?.measurements?.length ? r.measurements.join('; ') : null,
        r ? k('quality.results.recorded', { by: r.recordedBy, at: { dateTime: r.recordedAt } }) : k('quality.results.notRecorded'),
      ];
    }),
  };
  return { heading: k('quality.print.inspection'), blocks: [sampling, { kind: 'paragraph', text: k('quality.results.title') }, results] };
}

/** The receipt with its incoming inspection and signatures, as one printable record. */
export async function receiptInspectionRecord(tx: Tx, receiptId: string): Promise<PrintableRecord> {
  const receipt = await describeReceipt(tx, await getReceipt(tx, receiptId));
  const [opened] = (await listInspections(tx, { lotId: receipt.lotId, limit: 1 })).items;
  const inspection = opened ? await getInspection(tx, opened.id) : undefined;
  const signatures = [
    ...(inspection ? signatureEntries(await listSignatures(tx, 'inspections', inspection.id), inspection.number) : []),
    ...signatureEntries(await listSignatures(tx, 'lots', receipt.lotId), receipt.lot.number),
  ];
  return {
    recordType: k('purchasing.print.receiptRecord'),
    number: receipt.number,
    recordId: receipt.id,
    status: inspection ? k(`quality.inspectionStatuses.${inspection.status}`) : k(`inventory.lotStatuses.${receipt.lot.status}`),
    siteId: receipt.siteId,
    fields: [
      {
        label: k('purchasing.receipts.order'),
        value: k('purchasing.print.orderLine', { number: receipt.poNumber, line: String(receipt.lineNo) }),
      },
      { label: k('purchasing.orders.supplier'), value: named(receipt.supplier) },
      { label: k('purchasing.lines.item'), value: named(receipt.item) },
      { label: k('purchasing.receipts.lot'), value: receipt.lot.number },
      { label: k('purchasing.receipts.supplierLot'), value: receipt.supplierLot },
      { label: k('purchasing.print.receivedQuantity'), value: { decimal: receipt.quantity, unit: receipt.unit } },
      { label: k('purchasing.print.manufacturedOn'), value: receipt.manufacturedOn ? { date: receipt.manufacturedOn } : null },
      { label: k('purchasing.print.expiresOn'), value: receipt.expiresOn ? { date: receipt.expiresOn } : null },
      { label: k('purchasing.receipts.receivedAt'), value: { dateTime: receipt.receivedAt } },
      { label: k('purchasing.receipts.receivedBy'), value: receipt.receivedBy },
      {
        label: k('purchasing.receipts.delivery'),
        value: k('purchasing.print.delivery', {
          verdict: k(receipt.onTime ? 'purchasing.receipts.onTime' : 'purchasing.receipts.late'),
          received: { date: receipt.receivedOn },
          due: { date: receipt.dueDate },
        }),
      },
      ...conditionsText(receipt.conditions),
    ],
    sections: inspection
      ? [inspectionSection(inspection)]
      : [{ heading: k('quality.print.inspection'), blocks: [{ kind: 'paragraph', text: k('purchasing.print.noInspection') }] }],
    signatures,
  };
}

export const printReceiptRecordFlow: Module = {
  name: 'print-receipt-record',
  routes: (app: App) =>
    printable(app, {
      path: '/purchasing/receipts/:id/pdf',
      permission: [PURCHASING_PERMISSIONS.read, QUALITY_PERMISSIONS.read],
      tags: ['purchasing'],
      summary: 'The goods receipt with its incoming inspection as a printable PDF record, with the signed decisions',
      load: (tx, _ctx, id) => receiptInspectionRecord(tx, id),
    }),
};
