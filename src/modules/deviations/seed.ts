import { withChangeReason } from '../../platform/audit/index.js';
import { addDays } from '../../platform/dates.js';
import { sql, type Tx } from '../../platform/db/index.js';
import type { DemoSeed } from '../../platform/module.js';
import { siteToday, systemContext } from '../../platform/tenancy/index.js';
import { findItemByCode, listSuppliers } from '../masterdata/index.js';
import { createDeviation } from './service.js';

/**
 * Two concessions of a device maker: one approved on paper before Mediforge (taken over as
 * approved, with that reason in the audit trail, since no person signs during seeding), one
 * draft awaiting QA's signature.
 */
export async function seedDeviations(tx: Tx, seed: DemoSeed): Promise<void> {
  const ctx = systemContext(seed.tenantId, 'seed:deviations', seed.siteId);
  const today = await siteToday(tx, seed.siteId);
  const spike = await findItemByCode(tx, 'SPIKE-VENT');
  const tubing = await findItemByCode(tx, 'PVC-TUBE-3MM');
  const suppliers = (await listSuppliers(tx, { limit: 50 })).items;
  const moulding = suppliers.find((s) => s.code === 'SUP-MOULD');
  const polymers = suppliers.find((s) => s.code === 'SUP-POLY');
  if (!spike || !tubing || !moulding || !polymers) return;

  const vent = await createDeviation(tx, ctx, {
    title: 'Bottle spike vent filter: alternative membrane supplier',
    reason: 'Vent membrane of the qualified grade on allocation; the moulder substitutes the equivalent PTFE grade for two lots.',
    description: 'Membrane grade PTFE 0.2 µm from the alternative converter; moulding, dimensions and packaging unchanged.',
    riskAssessment:
      'Bacterial retention and air flow of the alternative grade verified on 30 samples (report TR-2026-118); no change to fluid path. Residual risk acceptable; 100 % incoming vent flow test.',
    itemId: spike.id,
    supplierId: moulding.id,
    maxQuantity: '20000',
    validFrom: today,
    validUntil: addDays(today, 60),
  });
  await withChangeReason(tx, 'taken over from the previous QMS: concession signed on paper', () =>
    tx.query(sql`UPDATE deviations SET status = 'approved', version = version + 1 WHERE id = ${vent.id} AND status = 'draft'`),
  );

  await createDeviation(tx, ctx, {
    title: 'PVC tubing outer diameter 4.15 mm (spec 4.10 ± 0.03 mm)',
    reason: 'Extruder die wear at the supplier; replacement die due in three weeks.',
    riskAssessment:
      'Fit to roller clamp and drip chamber verified with 4.15 mm tubing; flow rate within IFU tolerance. Risk of leak at bonded joints assessed low with 100 % pull test.',
    itemId: tubing.id,
    supplierId: polymers.id,
    lots: ['JMP-2611-07', 'JMP-2611-08'],
    maxQuantity: '6000',
    validFrom: today,
    validUntil: addDays(today, 30),
  });
  seed.notes.push('deviations: 1 approved concession (bottle spike vent membrane), 1 draft awaiting approval');
}
