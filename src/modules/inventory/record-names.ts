import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

/** A lot is named by its number; the item is named where the row says which. */
export const INVENTORY_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  lot_id: namesFrom(
    (ids) =>
      sql`SELECT id, number AS code, CASE kind WHEN 'serial' THEN 'serial' ELSE 'lot' END AS name FROM lots WHERE id = ANY(${ids}::uuid[])`,
  ),
};
