import { type Static, Type } from 'typebox';
import type { Tx } from '../../platform/db/index.js';
import { getItem, getItemRevision, getLocation, getSupplier, LOCATION_KINDS, TRACKING_MODES } from '../masterdata/index.js';
import { Id } from './model.js';

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
  private readonly items = new Map<string, ItemRef>();
  private readonly locations = new Map<string, LocationRef>();
  private readonly suppliers = new Map<string, SupplierRef>();
  private readonly revisions = new Map<string, string>();

  constructor(private readonly tx: Tx) {}

  async item(id: string): Promise<ItemRef> {
    let ref = this.items.get(id);
    if (!ref) {
      const i = await getItem(this.tx, id);
      ref = { id: i.id, code: i.code, name: i.name, baseUnit: i.baseUnit, tracking: i.tracking };
      this.items.set(id, ref);
    }
    return ref;
  }

  async location(id: string): Promise<LocationRef> {
    let ref = this.locations.get(id);
    if (!ref) {
      const l = await getLocation(this.tx, id);
      ref = { id: l.id, code: l.code, name: l.name, kind: l.kind, siteId: l.siteId };
      this.locations.set(id, ref);
    }
    return ref;
  }

  async supplier(id: string): Promise<SupplierRef> {
    let ref = this.suppliers.get(id);
    if (!ref) {
      const s = await getSupplier(this.tx, id);
      ref = { id: s.id, code: s.code, name: s.name };
      this.suppliers.set(id, ref);
    }
    return ref;
  }

  /** The revision letter (A, B…) of an item revision. */
  async revision(id: string): Promise<string> {
    let letter = this.revisions.get(id);
    if (letter === undefined) {
      letter = (await getItemRevision(this.tx, id)).revision;
      this.revisions.set(id, letter);
    }
    return letter;
  }

  async maybeLocation(id: string | null): Promise<LocationRef | null> {
    return id ? this.location(id) : null;
  }
}
