import type { Signing } from '../src/modules/inventory/lots.js';
import { createLocation } from '../src/modules/masterdata/locations.js';
import type { Database, Tx } from '../src/platform/db/index.js';
import type { SigningCredentials } from '../src/platform/esign/types.js';
import { createSite, withTenant } from '../src/platform/tenancy/index.js';
import { type TestTenant, testTenant } from './db.js';
import type { Signer } from './identity.js';
import { anItem, standardUnits } from './masterdata.js';

/** A tenant with stock places and items: the world every inventory scenario starts from. */
export interface StockWorld extends TestTenant {
  items: { tubing: string; thermometer: string; labels: string };
  locations: { quarantine: string; store: string; line: string; shipping: string; cage: string; otherSite: string };
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export async function stockWorld(db: Database): Promise<StockWorld> {
  const base = await testTenant(db);
  const tx = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db, base.ctx, fn);
  return tx(async (t) => {
    await standardUnits(t);
    const item = async (code: string, tracking: 'lot' | 'serial' | 'none', baseUnit: string, shelfLifeDays: number | null) =>
      (await anItem(t, { code, name: code, baseUnit, tracking, shelfLifeDays })).id;
    const place = async (siteId: string, warehouse: string, kind: 'quarantine' | 'released' | 'production' | 'shipping' | 'rejected') =>
      (await createLocation(t, { siteId, warehouse, name: `${warehouse} ${kind}`, kind, active: true })).id;
    const other = await createSite(t, { code: 'P2', name: 'Plant 2', timeZone: 'Asia/Shanghai' });
    return {
      ...base,
      tx,
      items: {
        tubing: await item('PVC-TUBE', 'lot', 'm', 730),
        thermometer: await item('THERMO-1', 'serial', 'ea', null),
        labels: await item('LABEL-ROLL', 'none', 'ea', null),
      },
      locations: {
        quarantine: await place(base.site.id, 'QA', 'quarantine'),
        store: await place(base.site.id, 'RM', 'released'),
        line: await place(base.site.id, 'LINE1', 'production'),
        shipping: await place(base.site.id, 'SHIP', 'shipping'),
        cage: await place(base.site.id, 'MRB', 'rejected'),
        otherSite: await place(other.id, 'RM2', 'released'),
      },
    };
  });
}

/** A signing in inventory by a real person (`createSigner`) with fresh credentials, or with what else they typed. */
export function signedBy(signer: Signer, typed: Partial<SigningCredentials> = {}): Signing {
  return { ctx: signer.ctx, verifier: signer.verifier, credentials: { ...signer.credentials(), ...typed } };
}
