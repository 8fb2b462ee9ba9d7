import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

export const SALES_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  sales_order_id: namesFrom((ids) => sql`SELECT id, number AS code, number AS name FROM sales_orders WHERE id = ANY(${ids}::uuid[])`),
  customer_return_id: namesFrom(
    (ids) => sql`SELECT id, number AS code, number AS name FROM customer_returns WHERE id = ANY(${ids}::uuid[])`,
  ),
  shipment_id: namesFrom((ids) => sql`SELECT id, number AS code, number AS name FROM shipments WHERE id = ANY(${ids}::uuid[])`),
};
