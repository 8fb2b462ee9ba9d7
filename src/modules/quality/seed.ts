import type { Tx } from '../../platform/db/index.js';
import type { DemoSeed } from '../../platform/module.js';
import { systemContext } from '../../platform/tenancy/index.js';
import { findItemByCode, getItem } from '../masterdata/index.js';
import { openInspectionForReceipt, type ReceivedLot, recordResult } from './inspections.js';
import type { CharacteristicInput } from './plans.js';
import { setInspectionPlan } from './plans.js';

const PLANS: Array<{ item: string; aql: '0.65' | '1.0'; characteristics: CharacteristicInput[] }> = [
  {
    item: 'PVC-TUBE-3MM',
    aql: '0.65',
    characteristics: [
      { name: 'Outer diameter', kind: 'variable', lowerLimit: '4.05', upperLimit: '4.15', unit: 'mm' },
      { name: 'Visual: no black specks, no kinks', kind: 'attribute' },
    ],
  },
  {
    item: 'LUER-LOCK-M',
    aql: '1.0',
    characteristics: [
      { name: 'Thread fit with ISO 80369-7 gauge', kind: 'attribute' },
      { name: 'Visual: no flash, cap present', kind: 'attribute' },
    ],
  },
  { item: 'DRIP-CH-15', aql: '1.0', characteristics: [{ name: 'Filter mesh intact, no particles', kind: 'attribute' }] },
  {
    item: 'POUCH-STER',
    aql: '0.65',
    characteristics: [
      { name: 'Seal width', kind: 'variable', lowerLimit: '6', unit: 'mm' },
      { name: 'Peel seal: no channels', kind: 'attribute' },
    ],
  },
];

/** Defectives found per item in the demo samples: the pouch lot fails its seal width check. */
const FOUND: Record<string, { defectives: number; outOfLimits: number }> = {
  'PVC-TUBE-3MM': { defectives: 0, outOfLimits: 1 },
  'DRIP-CH-15': { defectives: 0, outOfLimits: 0 },
  'POUCH-STER': { defectives: 1, outOfLimits: 4 },
};

/** Inspection plans for the bought parts; the demo's received lots are inspected by `seedInspections`. */
export async function seedQuality(tx: Tx, seed: DemoSeed): Promise<void> {
  for (const plan of PLANS) {
    const item = (await findItemByCode(tx, plan.item))!;
    await setInspectionPlan(tx, item.id, { aql: plan.aql, characteristics: plan.characteristics });
  }
  seed.notes.push(`quality: ${PLANS.length} inspection plans`);
}

/**
 * An inspection for every demo lot received (the inspect-received-lot flow's seed hands them
 * over), with results recorded for most; QA's signatures are left to the people using the demo.
 */
export async function seedInspections(tx: Tx, seed: DemoSeed, lots: readonly ReceivedLot[]): Promise<void> {
  const ctx = systemContext(seed.tenantId, 'seed:quality', seed.siteId);
  let recorded = 0;
  for (const receipt of lots) {
    const inspection = await openInspectionForReceipt(tx, receipt);
    const item = await getItem(tx, receipt.itemId);
    const found = FOUND[item.code];
    if (!found) continue;
    for (const c of inspection.characteristics) {
      if (c.kind === 'attribute') {
        await recordResult(tx, ctx, inspection.id, c.id, { defectives: found.defectives });
        continue;
      }
      const low = Number(c.lowerLimit ?? c.upperLimit);
      const high = Number(c.upperLimit ?? Number(c.lowerLimit) + 1);
      const measurements = Array.from({ length: inspection.plan.sampleSize }, (_, i) =>
        i < found.outOfLimits ? (low - 0.02).toFixed(2) : (low + ((high - low) * ((i * 37) % 100)) / 100).toFixed(3),
      );
      await recordResult(tx, ctx, inspection.id, c.id, { measurements });
    }
    recorded++;
  }
  seed.notes.push(`quality: ${lots.length} incoming inspections (${recorded} with results, waiting for QA)`);
}
