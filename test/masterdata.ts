import { createItem, type Item, type NewItem } from '../src/modules/masterdata/items.js';
import { listItemRevisions, transitionRevision } from '../src/modules/masterdata/revisions.js';
import { createUnit } from '../src/modules/masterdata/uom.js';
import type { Tx } from '../src/platform/db/index.js';
import type { Signer } from './identity.js';

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

/** The signer submits a revision and releases it with a valid `released` signature (their role must sign so, as QA's does). */
export async function release(tx: Tx, signer: Signer, revisionId: string): Promise<void> {
  await transitionRevision(tx, signer.ctx, null, revisionId, { to: 'in_review' });
  await transitionRevision(tx, signer.ctx, signer.verifier, revisionId, { to: 'released', credentials: signer.credentials() });
}
