import { createDocument, transitionDocument } from '../src/modules/documents/service.js';
import { createEquipment, createWorkCenter } from '../src/modules/masterdata/resources.js';
import { setRouting } from '../src/modules/masterdata/routing.js';
import { createWorkOrder, transitionWorkOrder, type WorkOrder } from '../src/modules/production/index.js';
import { addRequirement, listTasks, signReadAndUnderstood } from '../src/modules/training/service.js';
import { addDays } from '../src/platform/dates.js';
import type { Database, Tx } from '../src/platform/db/index.js';
import { withTenant } from '../src/platform/tenancy/index.js';
import { createRole, createSigner, type Signer } from './identity.js';
import { anItem, firstRevisionId, release } from './masterdata.js';
import { type ProductionWorld, productionWorld } from './production.js';

/**
 * The world of operation execution: the production world plus a sealed-pouch device whose routing
 * asks for everything execution checks —
 *   10 Assemble: line clearance before start, torque 1.0–2.0 N·m, work instruction in force;
 *   20 Seal: first article, inspection point "Seal width ≥ 5 mm", temperature 170–180 °C;
 *   30 Label: may run in parallel with 20.
 * The sealing station has a calibrated sealer, one overdue for calibration and one out of service;
 * another work center has a press. One operator is trained on the work instruction, one is not.
 */
export interface OperationsWorld extends ProductionWorld {
  pouch: { id: string; revision: string };
  line: string;
  otherLine: string;
  instruction: string;
  equipment: { sealer: string; overdue: string; broken: string; press: string };
  operator: Signer;
  untrained: Signer;
}

export async function operationsWorld(db: Database): Promise<OperationsWorld> {
  const w = await productionWorld(db);
  await createRole(db, w, { name: 'Trainee', grants: ['training:read', 'training:sign.trained'] });
  const operator = await createSigner(db, w, { fullName: 'Chen Jie', roles: ['Operator', 'Trainee'] });
  const untrained = await createSigner(db, w, { fullName: 'Zhao Min', roles: ['Operator', 'Trainee'] });
  const instruction = await w.tx((tx) =>
    createDocument(tx, w.ctx, { kind: 'work_instruction', title: 'Pouch assembly', owner: 'Manufacturing Engineering' }),
  );
  await withTenant(db, w.ctx, (tx) => transitionDocument(tx, w.ctx, null, instruction.id, { to: 'in_review' }));
  await withTenant(db, w.qa.ctx, async (tx) => {
    await transitionDocument(tx, w.qa.ctx, w.qa.verifier, instruction.id, { to: 'approved', credentials: w.qa.credentials() });
    await transitionDocument(tx, w.qa.ctx, w.qa.verifier, instruction.id, { to: 'effective', credentials: w.qa.credentials() });
  });
  await w.tx((tx) => addRequirement(tx, w.ctx, { documentId: instruction.id, roleName: 'Operator' }));
  const [task] = await w.tx((tx) => listTasks(tx, { userId: operator.user.id, documentNumber: instruction.number }));
  await withTenant(db, operator.ctx, (tx) =>
    signReadAndUnderstood(tx, operator.ctx, operator.verifier, task!.id, { credentials: operator.credentials() }),
  );
  const built = await w.tx(async (tx) => {
    const line = await createWorkCenter(tx, { code: 'SEAL', name: 'Sealing', siteId: w.site.id, capacityHoursPerDay: '8' });
    const otherLine = await createWorkCenter(tx, { code: 'PRESS', name: 'Press', siteId: w.site.id, capacityHoursPerDay: '8' });
    const equipment = {
      sealer: (await createEquipment(tx, { code: 'SEALER-1', name: 'Sealer', workCenterId: line.id, calibrationDue: addDays(w.today, 90) }))
        .id,
      overdue: (
        await createEquipment(tx, { code: 'SEALER-2', name: 'Old sealer', workCenterId: line.id, calibrationDue: addDays(w.today, -3) })
      ).id,
      broken: (await createEquipment(tx, { code: 'SEALER-3', name: 'Broken sealer', workCenterId: line.id, status: 'out_of_service' })).id,
      press: (await createEquipment(tx, { code: 'PRESS-1', name: 'Press', workCenterId: otherLine.id })).id,
    };
    const pouch = await anItem(tx, { type: 'finished_device' });
    const revision = await firstRevisionId(tx, pouch.id);
    await setRouting(tx, revision, [
      {
        sequence: 10,
        name: 'Assemble',
        workCenterId: line.id,
        lineClearanceRequired: true,
        workInstructionDocumentId: instruction.id,
        parameters: [{ name: 'Torque', unit: 'N·m', lowerLimit: '1.0', upperLimit: '2.0' }],
      },
      {
        sequence: 20,
        name: 'Seal',
        workCenterId: line.id,
        firstArticleRequired: true,
        inspectionPoints: ['Seal width ≥ 5 mm'],
        parameters: [{ name: 'Temperature', unit: '°C', lowerLimit: '170', upperLimit: '180' }],
      },
      { sequence: 30, name: 'Label', workCenterId: line.id, parallelWithPrevious: true },
    ]);
    return { line: line.id, otherLine: otherLine.id, equipment, pouch: { id: pouch.id, revision } };
  });
  await withTenant(db, w.qa.ctx, (tx) => release(tx, w.qa, built.pouch.revision));
  return { ...w, ...built, instruction: instruction.id, operator, untrained };
}

/** A released work order for pouches. */
export async function aPouchOrder(tx: Tx, w: OperationsWorld, quantity = '10'): Promise<WorkOrder> {
  const order = await createWorkOrder(tx, { itemRevisionId: w.pouch.revision, quantity, siteId: w.site.id, dueDate: addDays(w.today, 7) });
  return transitionWorkOrder(tx, w.ctx, order.id, { to: 'released' });
}
