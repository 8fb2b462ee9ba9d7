import { sql, type Tx } from '../../platform/db/index.js';
import { dec, decText } from '../../platform/decimal.js';
import { ValidationFailed } from '../../platform/errors.js';
import { siteDay } from '../../platform/tenancy/index.js';
import { getSupplier } from '../masterdata/index.js';
import { listReceipts } from '../purchasing/index.js';

export interface SupplierPpm {
  supplierId: string;
  supplier: { code: string; name: string };
  received: string;
  nonconforming: string;
  ncrs: number;
  /** Nonconforming per million received; null when nothing was received in the period. */
  ppm: number | null;
}

/**
 * Supplier PPM over a period (receipt and NCR dates at their sites, both inclusive): the affected quantity of the
 * supplier-caused NCRs raised in the period (cancelled ones not counted) against the quantity
 * received from the supplier in the period (as purchasing recorded the receipts), × 1,000,000.
 */
export async function supplierPpm(tx: Tx, f: { from: string; to: string; supplierId?: string | undefined }): Promise<SupplierPpm[]> {
  if (f.from > f.to) {
    throw new ValidationFailed('the period ends before it starts', [{ pointer: '/querystring/to', message: 'is before from' }], {
      code: 'error.nonconformance.period',
    });
  }
  const { rows } = await tx.query<{ supplierId: string; nonconforming: string; ncrs: number }>(sql`SELECT n.supplier_id AS "supplierId",
      sum(a.quantity)::text AS nonconforming, count(DISTINCT n.id)::int AS ncrs
    FROM nonconformances n JOIN ncr_affected a ON a.tenant_id = n.tenant_id AND a.nonconformance_id = n.id
    WHERE n.supplier_caused AND n.supplier_id IS NOT NULL AND n.status <> 'cancelled'
      AND ${siteDay(sql`n.site_id`, sql`n.created_at`)} BETWEEN ${f.from}::date AND ${f.to}::date
      AND (${f.supplierId ?? null}::uuid IS NULL OR n.supplier_id = ${f.supplierId ?? null})
    GROUP BY n.supplier_id`);
  const bySupplier = new Map(rows.map((r) => [r.supplierId, r]));
  const received = new Map<string, ReturnType<typeof dec>>();
  for (const r of await listReceipts(tx, { supplierId: f.supplierId })) {
    if (r.receivedOn < f.from || r.receivedOn > f.to) continue;
    received.set(r.supplierId, (received.get(r.supplierId) ?? dec('0')).plus(r.quantity));
  }
  const out: SupplierPpm[] = [];
  for (const supplierId of new Set([...bySupplier.keys(), ...received.keys()])) {
    const s = await getSupplier(tx, supplierId);
    const got = received.get(supplierId) ?? dec('0');
    const bad = dec(bySupplier.get(supplierId)?.nonconforming ?? '0');
    out.push({
      supplierId,
      supplier: { code: s.code, name: s.name },
      received: decText(got),
      nonconforming: decText(bad),
      ncrs: bySupplier.get(supplierId)?.ncrs ?? 0,
      ppm: got.isZero() ? null : bad.div(got).times(1_000_000).round().toNumber(),
    });
  }
  return out.sort((a, b) => (b.ppm ?? -1) - (a.ppm ?? -1) || a.supplier.code.localeCompare(b.supplier.code));
}
