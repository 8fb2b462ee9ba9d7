// A shipment's two printed documents (Part 11 §11.10(b)), read in the caller's transaction:
//   - the packing list (GET /sales/shipments/:id/packing-list/pdf): sales gives the shipment with
//     its customer, ship-to, cartons (SSCC) and every lot or serial shipped with its UDI; inventory
//     gives each lot's item revision; master data names the revision.
//   - the certificate of conformity (GET /sales/shipments/:id/certificate-of-conformity/pdf): the
//     same shipment, and for every lot inventory's release — status, when and by whom, the QA
//     release signature manifested on the page. A lot that is not (or no longer) released makes
//     the certificate refuse (409 error.sales.certificate.lotNotReleased): it never claims
//     conformity it cannot show.
// Both need sales:read and inventory:read; a missing shipment is 404. They only read.

import { INVENTORY_PERMISSIONS, type Lot, lotHistory, type StatusChange } from '../modules/inventory/index.js';
import { getItemRevision } from '../modules/masterdata/index.js';
import { describeShipment, SALES_PERMISSIONS } from '../modules/sales/index.js';
import type { Tx } from '../platform/db/index.js';
import { dec, decText } from '../platform/decimal.js';
import { Conflict } from '../platform/errors.js';
import type { Signature } from '../platform/esign/index.js';
import type { App } from '../platform/http/app.js';
import type { Module } from '../platform/module.js';
import { type Field, type PrintableRecord, printable, signatureEntries, type Text, textKey } from '../platform/pdf/index.js';

const k = textKey;

type Described = Awaited<ReturnType<typeof describeShipment>>;

interface LotFacts {
  lot: Lot;
  revision: string | null;
  release: StatusChange | null;
  signatures: Signature[];
}

/** Each distinct lot of the shipment as inventory knows it: status, revision, its release and the release signatures. */
async function lotFacts(tx: Tx, described: Described): Promise<Map<string, LotFacts>> {
  const facts = new Map<string, LotFacts>();
  const revisions = new Map<string, string>();
  for (const line of described.lines) {
    for (const l of line.lots) {
      if (facts.has(l.lotId)) continue;
      const history = await lotHistory(tx, l.lotId);
      const revisionId = history.lot.itemRevisionId;
      if (revisionId && !revisions.has(revisionId)) revisions.set(revisionId, (await getItemRevision(tx, revisionId)).revision);
      const release = history.statusChanges.filter((c) => c.toStatus === 'released').at(-1) ?? null;
      facts.set(l.lotId, {
        lot: history.lot,
        revision: revisionId ? (revisions.get(revisionId) ?? null) : null,
        release,
        signatures: history.signatures.filter((s) => s.meaning === 'released'),
      });
    }
  }
  return facts;
}

/** The item by code and name, with the revision the lot was made to when inventory knows it. */
function itemText(item: { code: string; name: string }, revision: string | null): Text {
  const named = `${item.code} ${item.name}`;
  return revision ? k('sales.print.itemRevision', { item: named, revision }) : named;
}

function shipToText(s: Described['shipTo']): string {
  const a = s as Described['shipTo'] & { addressLine2?: string | null; postalCode?: string | null; region?: string | null };
  const place = [a.postalCode, a.city, a.region].filter(Boolean).join(' ');
  return [a.name, a.addressLine1, a.addressLine2, place, a.country].filter(Boolean).join(', ');
}

function headerFields(d: Described): Field[] {
  return [
    { label: k('sales.print.customer'), value: `${d.customer.code} ${d.customer.name}` },
    { label: k('sales.shipments.shipTo'), value: shipToText(d.shipTo) },
    { label: k('sales.print.shipment'), value: d.shipment.number },
    { label: k('sales.shipments.shippedOn'), value: { date: d.shipment.shippedOn } },
    { label: k('sales.shipments.order'), value: d.order.number },
    { label: k('sales.print.customerReference'), value: d.order.customerReference ?? null },
  ];
}

/** The packing list: shipper (tenant and site in the page head), customer and ship-to, cartons with SSCCs, every lot or serial with its UDI, totals. */
export async function packingListRecord(tx: Tx, shipmentId: string): Promise<PrintableRecord> {
  const d = await describeShipment(tx, shipmentId);
  const facts = await lotFacts(tx, d);
  const totalUnits = d.lines.length && new Set(d.lines.map((l) => l.item.baseUnit)).size === 1 ? d.lines[0]!.item.baseUnit : null;
  const total = totalUnits ? sumDecimals(d.lines.map((l) => l.quantity)) : null;
  const lotCount = d.lines.reduce((n, l) => n + l.lots.length, 0);
  return {
    recordType: k('sales.print.packingList'),
    number: d.shipment.number,
    recordId: d.shipment.id,
    status: k('sales.print.shipped'),
    siteId: d.shipment.siteId,
    fields: [
      ...headerFields(d),
      { label: k('sales.print.carrier'), value: d.shipment.carrier ?? null },
      { label: k('sales.print.trackingNumber'), value: d.shipment.trackingNumber ?? null },
      { label: k('sales.print.shippedBy'), value: d.shipment.shippedBy },
    ],
    sections: [
      {
        heading: k('sales.shipments.cartons'),
        blocks: [
          {
            kind: 'table',
            columns: [
              { label: k('sales.print.carton'), width: 0.7, align: 'right' },
              { label: k('sales.print.sscc'), width: 2 },
              { label: k('sales.print.gs1'), width: 2.4 },
            ],
            rows: d.cartons.map((c) => [String(c.cartonNo), c.sscc, `(00)${c.sscc}`]),
          },
        ],
      },
      {
        heading: k('sales.print.contents'),
        blocks: [
          {
            kind: 'table',
            columns: [
              { label: k('sales.print.carton'), width: 1.2, align: 'right' },
              { label: k('sales.print.item'), width: 2.6 },
              { label: k('sales.print.lotOrSerial'), width: 2.2 },
              { label: k('sales.print.expiresOn'), width: 1.4 },
              { label: k('sales.print.quantity'), width: 1.4, align: 'right' },
              { label: k('sales.print.udi'), width: 4.6 },
            ],
            rows: d.lines.flatMap((line) =>
              line.lots.map((l) => [
                String(l.cartonNo),
                itemText(line.item, facts.get(l.lotId)?.revision ?? null),
                l.number,
                l.expiresOn ? { date: l.expiresOn } : null,
                { decimal: l.quantity, unit: line.item.baseUnit },
                l.udiHri ?? l.udi ?? null,
              ]),
            ),
            empty: k('sales.shipments.none'),
          },
        ],
      },
      {
        heading: k('sales.print.totals'),
        blocks: [
          {
            kind: 'table',
            columns: [
              { label: k('sales.print.line'), width: 0.5, align: 'right' },
              { label: k('sales.print.item'), width: 3 },
              { label: k('sales.print.ordered'), width: 1.2, align: 'right' },
              { label: k('sales.print.shippedQuantity'), width: 1.2, align: 'right' },
              { label: k('sales.print.lotCount'), width: 1, align: 'right' },
            ],
            rows: d.lines.map((line) => [
              String(line.lineNo),
              `${line.item.code} ${line.item.name}`,
              line.orderedQuantity ? { decimal: line.orderedQuantity, unit: line.item.baseUnit } : null,
              { decimal: line.quantity, unit: line.item.baseUnit },
              String(line.lots.length),
            ]),
          },
          {
            kind: 'fields',
            fields: [
              { label: k('sales.print.cartonCount'), value: String(d.cartons.length) },
              { label: k('sales.print.lotCount'), value: String(lotCount) },
              ...(total && totalUnits ? [{ label: k('sales.print.totalQuantity'), value: { decimal: total, unit: totalUnits } }] : []),
            ],
          },
        ],
      },
    ],
    signatures: [],
  };
}

/** Sums exact decimal strings. */
function sumDecimals(values: readonly string[]): string {
  return decText(values.reduce((sum, v) => sum.plus(dec(v)), dec('0')));
}

/** Who released the lot: the signer of the release signature, else the person the status change names. */
function releasedBy(f: LotFacts, release: StatusChange): string {
  const signature = release.signatureId ? f.signatures.find((s) => s.id === release.signatureId) : undefined;
  return signature ? signature.signer.name : release.actor.name;
}

/** Released now, or released and since gone (shipped, or expired after release). */
function wasReleased(f: LotFacts): boolean {
  if (f.lot.status === 'released' || f.lot.status === 'shipped') return true;
  return f.lot.status === 'expired' && f.release !== null;
}

/**
 * The certificate of conformity: the statement, every lot and serial with its release, and the
 * QA release signatures. Refuses (409) when a lot of the shipment is not released.
 */
export async function certificateRecord(tx: Tx, shipmentId: string): Promise<PrintableRecord> {
  const d = await describeShipment(tx, shipmentId);
  const facts = await lotFacts(tx, d);
  for (const [, f] of facts) {
    if (!wasReleased(f))
      throw new Conflict(`lot ${f.lot.number} of shipment ${d.shipment.number} is ${f.lot.status}, not released`, {
        code: 'error.sales.certificate.lotNotReleased',
        params: { lot: f.lot.number, shipment: d.shipment.number },
      });
  }
  const seen = new Set<string>();
  const rows = d.lines.flatMap((line) =>
    line.lots
      .filter((l) => {
        const key = `${line.lineNo}:${l.lotId}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map((l) => {
        const f = facts.get(l.lotId)!;
        const quantity = sumDecimals(line.lots.filter((x) => x.lotId === l.lotId).map((x) => x.quantity));
        return [
          itemText(line.item, f.revision),
          l.number,
          l.expiresOn ? { date: l.expiresOn } : null,
          { decimal: quantity, unit: line.item.baseUnit },
          k(`inventory.lotStatuses.${f.lot.status}`),
          f.release ? { dateTime: f.release.changedAt } : null,
          f.release ? releasedBy(f, f.release) : null,
        ] satisfies (Text | null)[];
      }),
  );
  const signed = [...facts.values()].flatMap((f) => signatureEntries(f.signatures, f.lot.number));
  return {
    recordType: k('sales.print.certificate'),
    number: d.shipment.number,
    recordId: d.shipment.id,
    status: k('sales.print.conforms'),
    siteId: d.shipment.siteId,
    fields: headerFields(d),
    sections: [
      {
        heading: k('sales.print.statementHeading'),
        blocks: [{ kind: 'paragraph', text: k('sales.print.statement', { shipment: d.shipment.number, order: d.order.number }) }],
      },
      {
        heading: k('sales.print.releasedLots'),
        blocks: [
          {
            kind: 'table',
            columns: [
              { label: k('sales.print.item'), width: 2.6 },
              { label: k('sales.print.lotOrSerial'), width: 2.2 },
              { label: k('sales.print.expiresOn'), width: 1.4 },
              { label: k('sales.print.quantity'), width: 1.3, align: 'right' },
              { label: k('sales.print.releaseStatus'), width: 1.4 },
              { label: k('sales.print.releasedAt'), width: 2.2 },
              { label: k('sales.print.releasedBy'), width: 1.6 },
            ],
            rows,
            empty: k('sales.shipments.none'),
          },
          { kind: 'paragraph', text: k('sales.print.releaseNote') },
        ],
      },
    ],
    signatures: signed,
  };
}

export const printShipmentDocumentsFlow: Module = {
  name: 'print-shipment-documents',
  routes: (app: App) => {
    printable(app, {
      path: '/sales/shipments/:id/packing-list/pdf',
      permission: [SALES_PERMISSIONS.read, INVENTORY_PERMISSIONS.read],
      tags: ['sales'],
      summary: "The shipment's packing list as a printable PDF: cartons with SSCCs, every lot and serial with its UDI, totals",
      load: (tx, _ctx, id) => packingListRecord(tx, id),
    });
    printable(app, {
      path: '/sales/shipments/:id/certificate-of-conformity/pdf',
      permission: [SALES_PERMISSIONS.read, INVENTORY_PERMISSIONS.read],
      tags: ['sales'],
      summary:
        "The shipment's certificate of conformity as a printable PDF: every lot's release and the QA release signatures. Refused (409 error.sales.certificate.lotNotReleased) when a lot is not released",
      load: (tx, _ctx, id) => certificateRecord(tx, id),
    });
  },
};
