import type { RecordNames } from '../../platform/module.js';

const numbered =
  (table: 'purchase_orders' | 'receipts'): RecordNames =>
  async (tx, ids) =>
    (
      await tx.query<{ id: string; code: string; name: string }>(
        `SELECT id, number AS code, number AS name FROM ${table} WHERE id = ANY($1::uuid[])`,
        [ids],
      )
    ).rows;

export const PURCHASING_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  po_id: numbered('purchase_orders'),
  receipt_id: numbered('receipts'),
};
