import { sql, type Tx } from '../../platform/db/index.js';
import { siteTimeZone } from '../../platform/tenancy/index.js';

/** Who or what ran work orders' operations, asked from the other side: which orders did this equipment or person work on. */
export interface RunFilter {
  equipmentId?: string | undefined;
  /** A person's user id (an operator who started, paused, resumed or completed an operation). */
  operatorId?: string | undefined;
  /** First and last day, the site's calendar days, inclusive. */
  from: string;
  to: string;
}

/**
 * The work orders with an operation that ran on the equipment, or that the person worked, at any
 * time within the days given: an operation counts when its run (start to completion, or to now
 * while it runs) overlaps the days and the equipment was the operation's, or the person started it
 * or took any step on it. Nearest first by number.
 */
export async function workOrdersRunWith(tx: Tx, f: RunFilter): Promise<{ id: string; number: string }[]> {
  const tz = siteTimeZone();
  const { rows } = await tx.query<{ id: string; number: string }>(sql`WITH window_ AS (
      SELECT (${f.from}::date::timestamp AT TIME ZONE ${tz}) AS starts, ((${f.to}::date + 1)::timestamp AT TIME ZONE ${tz}) AS ends)
    SELECT DISTINCT w.id, w.number
      FROM work_order_operations o CROSS JOIN window_
      JOIN work_orders w ON w.tenant_id = o.tenant_id AND w.id = o.work_order_id
     WHERE o.tenant_id = mf_current_tenant() AND o.started_at IS NOT NULL
       AND o.started_at < window_.ends AND coalesce(o.completed_at, now()) >= window_.starts
       AND ((${f.equipmentId ?? null}::uuid IS NOT NULL AND (o.equipment_id = ${f.equipmentId ?? null}
              OR EXISTS (SELECT 1 FROM work_order_operation_steps s WHERE s.tenant_id = o.tenant_id AND s.work_order_id = o.work_order_id
                            AND s.sequence = o.sequence AND s.equipment_id = ${f.equipmentId ?? null})))
         OR (${f.operatorId ?? null}::text IS NOT NULL AND (o.operator_id = ${f.operatorId ?? null}
              OR EXISTS (SELECT 1 FROM work_order_operation_steps s WHERE s.tenant_id = o.tenant_id AND s.work_order_id = o.work_order_id
                            AND s.sequence = o.sequence AND s.actor_id = ${f.operatorId ?? null}))))
     ORDER BY w.number`);
  return rows;
}
