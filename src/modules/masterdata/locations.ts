import { type Static, Type } from 'typebox';
import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { keyset, type Page, toPage } from '../../platform/paging.js';
import { allOf, found, Id, inCreationOrder, type ListRequest, likePattern, Name, updateRow, Version } from './common.js';
import { LOCATION_KINDS, type LocationKind } from './contract.js';
import { assertSite } from './resources.js';

/**
 * Storage locations per site: warehouse / zone / bin, typed by the kind of stock they may hold.
 * Which stock status a kind admits (no released stock in quarantine) is the inventory module's rule.
 */

const LocationCode = Type.String({ pattern: '^[A-Z0-9][A-Z0-9_-]{0,19}$' });

export const LocationFields = {
  siteId: Id,
  warehouse: LocationCode,
  zone: Type.Union([LocationCode, Type.Null()]),
  bin: Type.Union([LocationCode, Type.Null()], { description: 'a bin needs a zone' }),
  name: Name,
  kind: Type.Enum(LOCATION_KINDS),
  active: Type.Boolean(),
};
export const Location = Type.Object({
  id: Id,
  ...LocationFields,
  code: Type.String({ description: 'warehouse/zone/bin, e.g. WH1/RM/A-01' }),
  version: Version,
});
export type Location = Static<typeof Location>;
export const NewLocation = Type.Object(
  {
    ...LocationFields,
    zone: Type.Optional(LocationFields.zone),
    bin: Type.Optional(LocationFields.bin),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NewLocation = Static<typeof NewLocation>;
export const LocationChanges = Type.Partial(Type.Object({ name: Name, kind: LocationFields.kind, active: Type.Boolean() }), {
  additionalProperties: false,
  minProperties: 1,
});
export type LocationChanges = Static<typeof LocationChanges>;

const LOCATION_COLUMNS = `SELECT id, site_id AS "siteId", warehouse, zone, bin, name, kind, active,
  concat_ws('/', warehouse, zone, bin) AS code, version FROM storage_locations`;

export async function createLocation(tx: Tx, input: NewLocation): Promise<Location> {
  await assertSite(tx, input.siteId);
  const { rows } = await tx.query<{ id: string }>(sql`INSERT INTO storage_locations (site_id, warehouse, zone, bin, name, kind, active)
    VALUES (${input.siteId}, ${input.warehouse}, ${input.zone ?? null}, ${input.bin ?? null}, ${input.name}, ${input.kind}, ${input.active ?? true})
    RETURNING id`);
  return getLocation(tx, rows[0]!.id);
}

/** Where a location is stays fixed once created (stock history refers to it); name, kind and active may change. */
export async function updateLocation(tx: Tx, id: string, changes: LocationChanges, versions?: readonly number[]): Promise<Location> {
  await updateRow(tx, 'storage_locations', id, changes, { name: 'name', kind: 'kind', active: 'active' }, versions);
  return getLocation(tx, id);
}

export async function getLocation(tx: Tx, id: string): Promise<Location> {
  const { rows } = await tx.query<Location>(sql`${raw(LOCATION_COLUMNS)} WHERE id = ${id}`);
  return found(rows[0], 'storage location', id, 'error.masterdata.location.notFound');
}

/** Several locations in one query, in the order asked (a transfer names two). */
export async function getLocations(tx: Tx, ids: readonly string[]): Promise<Location[]> {
  const { rows } = await tx.query<Location>(sql`${raw(LOCATION_COLUMNS)} WHERE id = ANY(${ids}::uuid[])`);
  return ids.map((id) =>
    found(
      rows.find((r) => r.id === id),
      'storage location',
      id,
      'error.masterdata.location.notFound',
    ),
  );
}

const LOCATIONS = inCreationOrder<Location>('locations');

export async function listLocations(
  tx: Tx,
  page: ListRequest & { siteId?: string | undefined; kind?: LocationKind | undefined; active?: boolean | undefined },
): Promise<Page<Location>> {
  const pattern = page.q ? likePattern(page.q) : undefined;
  const where: SqlStatement[] = [
    ...(pattern ? [sql`(concat_ws('/', warehouse, zone, bin) ILIKE ${pattern} OR name ILIKE ${pattern})`] : []),
    ...(page.siteId ? [sql`site_id = ${page.siteId}`] : []),
    ...(page.kind ? [sql`kind = ${page.kind}`] : []),
    ...(page.active === undefined ? [] : [sql`active = ${page.active}`]),
  ];
  const k = keyset(LOCATIONS, page);
  const { rows } = await tx.query<Location>(sql`${raw(LOCATION_COLUMNS)} WHERE ${allOf(where, k)} ${k.orderBy} ${k.limit}`);
  return toPage(k, rows);
}
