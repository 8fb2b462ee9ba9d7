import { namesFrom, type RecordNames } from '../../platform/module.js';

export const PURCHASING_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  po_id: namesFrom('SELECT id, number AS code, number AS name FROM purchase_orders WHERE id = ANY($1::uuid[])'),
  receipt_id: namesFrom('SELECT id, number AS code, number AS name FROM receipts WHERE id = ANY($1::uuid[])'),
};
