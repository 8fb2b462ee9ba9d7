import { MASTERDATA } from '../src/modules/masterdata/contract.js';
import { createItem, type Item, type NewItem } from '../src/modules/masterdata/items.js';
import { listItemRevisions, transitionRevision } from '../src/modules/masterdata/revisions.js';

const SIGN_RELEASED = MASTERDATA.signReleased;

import { createUnit } from '../src/modules/masterdata/uom.js';
import type { Tx } from '../src/platform/db/index.js';
import { Unauthorized } from '../src/platform/errors.js';
import type { SignerVerifier } from '../src/platform/esign/types.js';
import type { TenantContext } from '../src/platform/tenancy/index.js';

/**
 * Builders for master data in tests: a tenant's units, items with defaults, released revisions.
 * Each test names only what matters to it.
 */

/** Global units register on first use; a pack unit must be named first. */
export async function standardUnits(tx: Tx): Promise<void> {
  await createUnit(tx, { code: 'carton', name: 'carton' });
}

let sequence = 0;
export const uniqueCode = (prefix: string) => `${prefix}-${++sequence}`;

export function anItem(tx: Tx, overrides: Partial<NewItem> = {}): Promise<Item> {
  return createItem(tx, { code: uniqueCode('PART'), name: 'Test part', type: 'component', baseUnit: 'ea', tracking: 'lot', ...overrides });
}

export async function firstRevisionId(tx: Tx, itemId: string): Promise<string> {
  return (await listItemRevisions(tx, itemId))[0]!.id;
}

export const SIGNING_PASSWORD = 'correct horse battery staple';

/**
 * Stands in for the identity module's re-authentication at the signature seam: it accepts one
 * password and grants the signer the permissions given.
 */
export function signerWith(permissions: string[] = [SIGN_RELEASED]): SignerVerifier {
  return async (_tx, ctx, creds) => {
    if (creds.password !== SIGNING_PASSWORD) throw new Unauthorized('wrong password', { code: 'error.esign.credentials' });
    return { userId: ctx.actor.id, login: 'qa.approver', printedName: 'Quinn Approver', permissions };
  };
}

/** Submits and releases a revision with a valid `released` signature. */
export async function release(tx: Tx, ctx: TenantContext, revisionId: string): Promise<void> {
  await transitionRevision(tx, ctx, null, revisionId, { to: 'in_review' });
  await transitionRevision(tx, ctx, signerWith(), revisionId, { to: 'released', credentials: { password: SIGNING_PASSWORD } });
}
