import { sql, type Tx } from '../../platform/db/index.js';
import { uuidv7 } from '../../platform/ids.js';
import type { DemoSeed } from '../../platform/module.js';
import { nextNumber } from '../../platform/numbering.js';
import { systemContext } from '../../platform/tenancy/index.js';
import type { DocumentKind } from './contract.js';
import { createDocument, reviseDocument, transitionDocument } from './service.js';

/** Documents in force before Mediforge: approved on paper, taken over as effective. */
const LEGACY: Array<{ kind: DocumentKind; title: string; owner: string; revision: number; summary: string }> = [
  {
    kind: 'sop',
    title: 'Control of documents and records',
    owner: 'Quality Assurance',
    revision: 3,
    summary: 'Creation, review, approval, distribution and withdrawal of controlled documents (ISO 13485 4.2.4, 4.2.5).',
  },
  {
    kind: 'sop',
    title: 'Control of nonconforming product',
    owner: 'Quality Assurance',
    revision: 2,
    summary: 'Identification, segregation, MRB review and disposition of nonconforming product (ISO 13485 8.3).',
  },
  {
    kind: 'work_instruction',
    title: 'Catheter tip forming on RF welder station 3',
    owner: 'Manufacturing Engineering',
    revision: 1,
    summary: 'Set-up, die temperature window 185–195 °C, dwell time and first-article check for 6 Fr tips.',
  },
  {
    kind: 'form',
    title: 'Line clearance checklist, catheter assembly',
    owner: 'Production',
    revision: 2,
    summary: 'Checklist signed before each lot: previous labels, components and documents removed from the line.',
  },
];

export async function seedDocuments(tx: Tx, seed: DemoSeed): Promise<void> {
  const ctx = systemContext(seed.tenantId, 'seed:documents', seed.siteId);
  const legacyIds: string[] = [];
  for (const doc of LEGACY) {
    const id = uuidv7();
    legacyIds.push(id);
    await tx.query(
      sql`INSERT INTO documents (id, number, revision, kind, title, summary, body, owner, author_id, author_name, status, effective_at)
       VALUES (${id}, ${await nextNumber(tx, 'DOC')}, ${doc.revision}, ${doc.kind}, ${doc.title}, ${doc.summary}, ${`${doc.summary}\n\nApproved and released on paper before Mediforge; this revision was taken over as effective.`}, ${doc.owner}, ${ctx.actor.id}, ${ctx.actor.name}, 'effective', now())`,
    );
  }
  // The RF welder instruction is being revised for a new die.
  const revision = await reviseDocument(tx, ctx, legacyIds[2] as string);
  await tx.query(sql`UPDATE documents SET summary = summary || ' Revised for the new 7 Fr die set.' WHERE id = ${revision.id}`);

  const leakTest = await createDocument(tx, ctx, {
    kind: 'work_instruction',
    title: 'Balloon leak test at 2 bar on leak tester LT-02',
    owner: 'Manufacturing Engineering',
    summary: 'Pressure decay test, 30 s hold, reject above 0.5 mbar drop; record results in the eDHR.',
  });
  await transitionDocument(tx, ctx, null, leakTest.id, { to: 'in_review' });

  await createDocument(tx, ctx, {
    kind: 'sop',
    title: 'Cleanroom gowning, ISO class 7',
    owner: 'Production',
    summary: 'Gowning sequence, garment change intervals and gowning qualification of operators.',
  });
  seed.notes.push('documents: 4 effective SOPs, work instructions and forms, 1 in review, 2 drafts');
}
