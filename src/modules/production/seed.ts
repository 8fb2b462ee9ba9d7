import type { Tx } from '../../platform/db/index.js';
import { Decimal, decText } from '../../platform/decimal.js';
import type { DemoSeed } from '../../platform/module.js';
import { siteToday, systemContext } from '../../platform/tenancy/index.js';
import { suggestFefo } from '../inventory/index.js';
import { findItemByCode, getReleasedRevision } from '../masterdata/index.js';
import { issueMaterial } from './material.js';
import { reportOutput } from './output.js';
import { createWorkOrder, getMaterials, transitionWorkOrder } from './work-orders.js';

const daysFrom = (isoDate: string, days: number): string => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * The demo tenant's shop floor: a draft work order for 500 infusion sets, and one for 200 infusion
 * line sub-assemblies released (its BOM and routing frozen) with its tubing and drip chambers
 * issued first-expiry-first from the stores, so it is in progress, with a first batch of 120 reported
 * as output: a lot in quarantine whose genealogy leads back to the tubing and drip chamber lots.
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
    dueDate: daysFrom(today, 21),
    notes: 'Hospital group order EMHG-PO-7781',
  });
  const order = await createWorkOrder(tx, {
    itemRevisionId: lineRevision.id,
    quantity: '200',
    siteId: seed.siteId,
    dueDate: daysFrom(today, 7),
  });
  await transitionWorkOrder(tx, ctx, order.id, { to: 'released' });
  for (const code of ['PVC-TUBE-3MM', 'DRIP-CH-15']) {
    const requirement = (await getMaterials(tx, order.id)).find((m) => m.componentCode === code);
    if (!requirement) continue;
    const fefo = await suggestFefo(tx, requirement.componentItemId, requirement.requiredQuantity, seed.siteId);
    for (const l of fefo.lines.filter((x, i, all) => all.findIndex((y) => y.lotId === x.lotId) === i)) {
      await issueMaterial(tx, ctx, order.id, { lotId: l.lotId, lineNo: requirement.lineNo, quantity: sumTakes(fefo.lines, l.lotId) });
    }
  }
  await reportOutput(tx, ctx, order.id, { quantity: '120' });
}

/** What FEFO takes of one lot over all its locations, exactly. */
function sumTakes(lines: ReadonlyArray<{ lotId: string; take: string }>, lotId: string): string {
  return decText(lines.filter((l) => l.lotId === lotId).reduce((sum, l) => sum.plus(l.take), new Decimal(0)));
}
