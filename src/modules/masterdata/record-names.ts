import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

/** Items' codes and names by id, in one query however many items (the name look-up another module may call). */
export const itemNames = namesFrom((ids) => sql`SELECT id, code, name FROM items WHERE id = ANY(${ids}::uuid[])`);
const items = itemNames;

/** How master data is named where other records refer to it (the audit history's references). */
const locations = namesFrom(
  (ids) => sql`SELECT id, concat_ws('/', warehouse, zone, bin) AS code, name FROM storage_locations WHERE id = ANY(${ids}::uuid[])`,
);

export const MASTERDATA_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  item_id: items,
  component_item_id: items,
  item_revision_id: namesFrom(
    (
      ids,
    ) => sql`SELECT r.id, i.code || ' rev ' || r.revision AS code, i.name FROM item_revisions r JOIN items i ON i.tenant_id = r.tenant_id AND i.id = r.item_id
      WHERE r.id = ANY(${ids}::uuid[])`,
  ),
  supplier_id: namesFrom((ids) => sql`SELECT id, code, name FROM suppliers WHERE id = ANY(${ids}::uuid[])`),
  customer_id: namesFrom((ids) => sql`SELECT id, code, name FROM customers WHERE id = ANY(${ids}::uuid[])`),
  work_center_id: namesFrom((ids) => sql`SELECT id, code, name FROM work_centers WHERE id = ANY(${ids}::uuid[])`),
  location_id: locations,
  from_location_id: locations,
  to_location_id: locations,
};
