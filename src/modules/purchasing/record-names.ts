import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

export const PURCHASING_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  po_id: namesFrom((ids) => sql`SELECT id, number AS code, number AS name FROM purchase_orders WHERE id = ANY(${ids}::uuid[])`),
  receipt_id: namesFrom((ids) => sql`SELECT id, number AS code, number AS name FROM receipts WHERE id = ANY(${ids}::uuid[])`),
};
