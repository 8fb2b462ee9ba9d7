import { withChangeReason } from '../../platform/audit/index.js';
import { sql, type Tx } from '../../platform/db/index.js';
import type { DemoSeed } from '../../platform/module.js';
import { systemContext } from '../../platform/tenancy/index.js';
import { listDocuments } from '../documents/index.js';
import { addRequirement, listTasks } from './service.js';

/** Who must train on which documents in force at the demo plant, by role. */
const REQUIREMENTS: Array<{ title: string; roles: string[] }> = [
  { title: 'Control of nonconforming product', roles: ['QA Manager', 'QA Inspector'] },
  { title: 'Control of documents and records', roles: ['QA Manager', 'Engineer'] },
  { title: 'Catheter tip forming on RF welder station 3', roles: ['Operator'] },
  { title: 'Line clearance checklist, catheter assembly', roles: ['Operator', 'QA Inspector'] },
];

/**
 * Training requirements on the documents in force, the tasks they open for the demo people, and
 * the QA manager's training on the nonconformance SOP, signed on paper before Mediforge and taken
 * over as a record (with that reason in the audit trail, since no person signs during seeding).
 */
export async function seedTraining(tx: Tx, seed: DemoSeed): Promise<void> {
  const ctx = systemContext(seed.tenantId, 'seed:training', seed.siteId);
  const { items: documents } = await listDocuments(tx, { status: 'effective', limit: 200 });
  let requirements = 0;
  for (const { title, roles } of REQUIREMENTS) {
    const doc = documents.find((d) => d.title === title);
    if (!doc) continue;
    for (const roleName of roles) {
      await addRequirement(tx, ctx, { documentId: doc.id, roleName });
      requirements++;
    }
  }
  const paper = (await listTasks(tx, { status: 'open' })).filter(
    (t) => t.documentNumber === documents.find((d) => d.title === REQUIREMENTS[0]!.title)?.number,
  );
  await withChangeReason(tx, 'taken over from paper training records signed before Mediforge', async () => {
    for (const task of paper.slice(0, 1)) {
      await tx.query(
        sql`INSERT INTO training_records (task_id, user_id, user_name, document_id, document_number, revision, method, result, comment)
            VALUES (${task.id}, ${task.userId}, ${task.userName}, ${task.documentId}, ${task.documentNumber}, ${task.revision},
                    'read_and_understood', 'passed', 'Training form signed on paper; taken over')`,
      );
      await tx.query(sql`UPDATE training_tasks SET status = 'completed', closed_at = now() WHERE id = ${task.id}`);
    }
  });
  seed.notes.push(`training: ${requirements} requirements on documents in force; open tasks for the people concerned`);
}
