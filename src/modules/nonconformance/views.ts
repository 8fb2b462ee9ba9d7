import { sql, type Tx } from '../../platform/db/index.js';
import { dec, decText } from '../../platform/decimal.js';
import { listSignatures, type Signature } from '../../platform/esign/index.js';
import { getLot } from '../inventory/index.js';
import { getItem, getSupplier } from '../masterdata/index.js';
import { getReceipt } from '../purchasing/index.js';
import { getInspection } from '../quality/index.js';
import { customerReturnName } from '../sales/index.js';
import type { NcrDetail, NcrSummary } from './contract.js';
import { affectedOf, dispositionsOf, getNcr, ncrLifecycle } from './ncrs.js';
import { engineeringRequired } from './settings.js';

const named = (id: string, code: string, name: string) => ({ id, code, name });

/**
 * The NCR's full record as one document: what was found, where, its defect codes, the affected
 * lots with what is disposed and still open, every disposition, the supplier notifications and the
 * linked item, supplier, receipt, inspection and customer return. The record page shows it; a printed record builds on it.
 */
export async function describeNcr(tx: Tx, id: string): Promise<NcrDetail> {
  const ncr = await getNcr(tx, id);
  const [affected, dispositions, defects, notifications, engineering] = await Promise.all([
    affectedOf(tx, id),
    dispositionsOf(tx, id),
    tx.query<{ id: string; code: string; name: string; active: boolean }>(sql`SELECT c.id, c.code, c.name, c.active
      FROM ncr_defects d JOIN ncr_defect_codes c ON c.tenant_id = d.tenant_id AND c.id = d.defect_code_id
      WHERE d.nonconformance_id = ${id} ORDER BY c.code`),
    tx.query<NcrDetail['notifications'][number]>(sql`SELECT id, disposition_id AS "dispositionId", supplier_id AS "supplierId",
      quantity::text AS quantity, lot_numbers AS "lotNumbers", text, sent_at AS "sentAt"
      FROM ncr_supplier_notifications WHERE nonconformance_id = ${id} ORDER BY sent_at, id`),
    engineeringRequired(tx),
  ]);
  const lots = new Map<string, { number: string; status: string }>();
  for (const a of affected) {
    const lot = await getLot(tx, a.lotId);
    lots.set(a.lotId, { number: lot.number, status: lot.status });
  }
  const item = ncr.itemId ? await getItem(tx, ncr.itemId) : null;
  const supplier = ncr.supplierId ? await getSupplier(tx, ncr.supplierId) : null;
  const receipt = ncr.receiptId ? await getReceipt(tx, ncr.receiptId).catch(() => null) : null;
  const inspection = ncr.inspectionId ? await getInspection(tx, ncr.inspectionId).catch(() => null) : null;
  const customerReturn = ncr.source === 'customer_return' ? await customerReturnName(tx, ncr.sourceId) : null;
  return {
    ...ncr,
    item: item ? named(item.id, item.code, item.name) : null,
    supplier: supplier ? named(supplier.id, supplier.code, supplier.name) : null,
    receipt: receipt ? named(receipt.id, receipt.number, receipt.number) : null,
    inspection: inspection ? named(inspection.id, inspection.number, inspection.number) : null,
    customerReturn: customerReturn ? named(customerReturn.id, customerReturn.number, customerReturn.number) : null,
    defects: defects.rows,
    affected: affected.map((a) => ({
      id: a.id,
      lineNo: a.lineNo,
      lotId: a.lotId,
      lotNumber: lots.get(a.lotId)!.number,
      lotStatus: lots.get(a.lotId)!.status,
      itemId: a.itemId,
      quantity: a.quantity,
      disposed: a.disposed,
      open: decText(dec(a.quantity).minus(a.claimed)),
      awaitsReinspection: a.reworked && dec(a.disposed).eq(a.quantity) && !a.reinspectedAt && ncr.status !== 'cancelled',
      reinspectedAt: a.reinspectedAt,
    })),
    dispositions: dispositions.map((d) => ({ ...d, lotNumber: lots.get(d.lotId)!.number })),
    notifications: notifications.rows,
    engineeringRequired: engineering,
    allowedTransitions: ncrLifecycle.allowedFrom(ncr.status),
  };
}

/** Every signature of the NCR: its closure and each disposition's quality and engineering signatures. */
export async function ncrSignatures(tx: Tx, id: string): Promise<Signature[]> {
  const all = [...(await listSignatures(tx, 'nonconformances', id))];
  for (const d of await dispositionsOf(tx, id)) all.push(...(await listSignatures(tx, 'ncr_dispositions', d.id)));
  return all.sort((a, b) => a.signedAt.localeCompare(b.signedAt));
}

export type { NcrSummary };
