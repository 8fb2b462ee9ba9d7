import { sql, type Tx } from '../../platform/db/index.js';
import { getLot } from '../inventory/index.js';
import type { WoMovement } from './contract.js';

/** Every issue and return of a work order, oldest first, with the lot's number read through inventory's face. */
export async function listMaterialMovements(tx: Tx, workOrderId: string): Promise<WoMovement[]> {
  const { rows } = await tx.query<Omit<WoMovement, 'lotNumber'>>(sql`SELECT m.id, m.line_no AS "lineNo", m.kind, m.lot_id AS "lotId",
      trim_scale(m.quantity)::text AS quantity, m.reason, m.created_at AS "createdAt",
      CASE WHEN m.created_by_id IS NULL THEN NULL ELSE json_build_object('id', m.created_by_id, 'name', m.created_by_name) END AS "createdBy"
    FROM work_order_material_movements m WHERE m.work_order_id = ${workOrderId} ORDER BY m.created_at, m.id`);
  const numbers = new Map<string, string>();
  for (const id of new Set(rows.flatMap((r) => (r.lotId ? [r.lotId] : [])))) numbers.set(id, (await getLot(tx, id)).number);
  return rows.map((r) => ({ ...r, lotNumber: r.lotId ? numbers.get(r.lotId)! : null }));
}

/** What of a lot (null: stock kept without lots) is still issued to a requirement (issues net of returns). */
export async function netIssuedOfLot(tx: Tx, workOrderId: string, lineNo: number, lotId: string | null): Promise<string> {
  const { rows } = await tx.query<{
    net: string;
  }>(sql`SELECT coalesce(sum(CASE WHEN kind = 'issue' THEN quantity ELSE -quantity END), 0)::text AS net
    FROM work_order_material_movements WHERE work_order_id = ${workOrderId} AND line_no = ${lineNo} AND lot_id IS NOT DISTINCT FROM ${lotId}::uuid`);
  return rows[0]!.net;
}
