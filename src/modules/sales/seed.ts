import type { Tx } from '../../platform/db/index.js';
import type { DemoSeed } from '../../platform/module.js';

/** The demo tenant's sales: filled in by seedSales below. */
export async function seedSales(_tx: Tx, _seed: DemoSeed): Promise<void> {}
