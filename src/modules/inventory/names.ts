import { type Static, Type } from 'typebox';
import type { Tx } from '../../platform/db/index.js';
import { onceByKey } from '../../platform/memo.js';
import { Id } from '../../platform/schema.js';
import { getItem, getItemRevision, getLocation, getSupplier, LOCATION_KINDS, TRACKING_MODES } from '../masterdata/index.js';

/**
 * How inventory rows name the master data they point at, so a screen shows "ROLLER-CLAMP —
 * Roller clamp, ABS" and "WH1/RCV" without a request per row. Read through masterdata's
 * services (inventory never reads its tables), once per id per request.
 */
export const ItemRef = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  baseUnit: Type.String(),
  tracking: Type.Enum(TRACKING_MODES),
});
export type ItemRef = Static<typeof ItemRef>;

export const LocationRef = Type.Object({
  id: Id,
  code: Type.String({ description: 'warehouse/zone/bin, e.g. WH1/RCV' }),
  name: Type.String(),
  kind: Type.Enum(LOCATION_KINDS),
  siteId: Id,
});
export type LocationRef = Static<typeof LocationRef>;

export const SupplierRef = Type.Object({ id: Id, code: Type.String(), name: Type.String() });
export type SupplierRef = Static<typeof SupplierRef>;

/** Looks names up on first use and remembers them for the rest of the request. */
export class MasterNames {
  private readonly once = onceByKey();

  constructor(private readonly tx: Tx) {}

  item(id: string): Promise<ItemRef> {
    return this.once(`item:${id}`, async () => {
      const i = await getItem(this.tx, id);
      return { id: i.id, code: i.code, name: i.name, baseUnit: i.baseUnit, tracking: i.tracking };
    });
  }

  location(id: string): Promise<LocationRef> {
    return this.once(`location:${id}`, async () => {
      const l = await getLocation(this.tx, id);
      return { id: l.id, code: l.code, name: l.name, kind: l.kind, siteId: l.siteId };
    });
  }

  supplier(id: string): Promise<SupplierRef> {
    return this.once(`supplier:${id}`, async () => {
      const s = await getSupplier(this.tx, id);
      return { id: s.id, code: s.code, name: s.name };
    });
  }

  /** The revision letter (A, B…) of an item revision. */
  revision(id: string): Promise<string> {
    return this.once(`revision:${id}`, async () => (await getItemRevision(this.tx, id)).revision);
  }

  async maybeLocation(id: string | null): Promise<LocationRef | null> {
    return id ? this.location(id) : null;
  }
}
