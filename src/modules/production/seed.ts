import { addDays } from '../../platform/dates.js';
import type { Tx } from '../../platform/db/index.js';
import { Decimal, decText } from '../../platform/decimal.js';
import type { DemoSeed } from '../../platform/module.js';
import { siteToday, systemContext, type TenantContext } from '../../platform/tenancy/index.js';
import { listUsers } from '../identity/index.js';
import { suggestFefo } from '../inventory/index.js';
import { findItemByCode, getReleasedRevision, listEquipment } from '../masterdata/index.js';
import { issueMaterial } from './material.js';
import { completeOperation, recordCheck, startOperation } from './operations.js';
import { reportOutput } from './output.js';
import { createWorkOrder, getMaterials, transitionWorkOrder } from './work-orders.js';

/**
 * The demo tenant's shop floor: a draft work order for 500 infusion sets, and one for 200 infusion
 * line sub-assemblies released (its BOM and routing frozen) with its tubing and drip chambers
 * issued first-expiry-first from the stores, so it is in progress, with a first batch of 120 reported
 * as output: a lot in quarantine whose genealogy leads back to the tubing and drip chamber lots.
 * A second, smaller order of sub-assemblies was run to the end by the demo operator — both
 * operations completed with their inspection points passed, its lot made and the order completed —
 * so its device history record waits for QA's review and release.
 */
export async function seedProduction(tx: Tx, seed: DemoSeed): Promise<void> {
  const today = await siteToday(tx, seed.siteId);
  const infusionSet = await findItemByCode(tx, 'IS-200');
  const line = await findItemByCode(tx, 'IS-200-SA');
  const setRevision = infusionSet && (await getReleasedRevision(tx, infusionSet.id));
  const lineRevision = line && (await getReleasedRevision(tx, line.id));
  if (!setRevision || !lineRevision) return;
  const ctx = systemContext(seed.tenantId, 'seed', seed.siteId);
  await createWorkOrder(tx, {
    itemRevisionId: setRevision.id,
    quantity: '500',
    siteId: seed.siteId,
    dueDate: addDays(today, 21),
    notes: 'Hospital group order EMHG-PO-7781',
  });
  const order = await createWorkOrder(tx, {
    itemRevisionId: lineRevision.id,
    quantity: '200',
    siteId: seed.siteId,
    dueDate: addDays(today, 7),
  });
  await transitionWorkOrder(tx, ctx, order.id, { to: 'released' });
  await issueFefo(tx, ctx, order.id, seed.siteId, ['PVC-TUBE-3MM', 'DRIP-CH-15']);
  await reportOutput(tx, ctx, order.id, { quantity: '120' });
  await seedCompletedOrder(tx, seed, lineRevision.id, addDays(today, 2));
}

async function issueFefo(tx: Tx, ctx: TenantContext, orderId: string, siteId: string, codes: readonly string[]): Promise<void> {
  for (const code of codes) {
    const requirement = (await getMaterials(tx, orderId)).find((m) => m.componentCode === code);
    if (!requirement) continue;
    const fefo = await suggestFefo(tx, requirement.componentItemId, requirement.requiredQuantity, siteId);
    for (const l of fefo.lines.filter((x, i, all) => all.findIndex((y) => y.lotId === x.lotId) === i)) {
      await issueMaterial(tx, ctx, orderId, { lotId: l.lotId, lineNo: requirement.lineNo, quantity: sumTakes(fefo.lines, l.lotId) });
    }
  }
}

async function seedCompletedOrder(tx: Tx, seed: DemoSeed, revisionId: string, dueDate: string): Promise<void> {
  const operator = (await listUsers(tx, { q: 'operator', limit: 1 })).items.find((u) => u.login === 'operator');
  const station = (await listEquipment(tx, { limit: 100 })).items.find((e) => e.code === 'UV-BOND-01');
  if (!operator || !station) return;
  const ctx = systemContext(seed.tenantId, 'seed', seed.siteId);
  const atLine: TenantContext = { ...ctx, actor: { kind: 'user', id: operator.id, name: operator.fullName } };
  const order = await createWorkOrder(tx, { itemRevisionId: revisionId, quantity: '100', siteId: seed.siteId, dueDate });
  await transitionWorkOrder(tx, ctx, order.id, { to: 'released' });
  await issueFefo(tx, ctx, order.id, seed.siteId, ['PVC-TUBE-3MM', 'DRIP-CH-15']);
  await startOperation(tx, atLine, order.id, 10, { equipmentId: station.id });
  await completeOperation(tx, atLine, order.id, 10, { goodQuantity: '100' });
  await startOperation(tx, atLine, order.id, 20, {});
  for (const point of ['Leak test at 50 kPa, 10 s, no pressure drop', 'Visual: no particles, no kinks']) {
    await recordCheck(tx, atLine, order.id, 20, { kind: 'inspection_point', point, result: 'pass' });
  }
  await completeOperation(tx, atLine, order.id, 20, { goodQuantity: '100' });
  await reportOutput(tx, ctx, order.id, { quantity: '100' });
  await transitionWorkOrder(tx, ctx, order.id, { to: 'completed' });
}

/** What FEFO takes of one lot over all its locations, exactly. */
function sumTakes(lines: ReadonlyArray<{ lotId: string; take: string }>, lotId: string): string {
  return decText(lines.filter((l) => l.lotId === lotId).reduce((sum, l) => sum.plus(l.take), new Decimal(0)));
}
