import { withChangeReason } from '../../platform/audit/index.js';
import { sql, type Tx } from '../../platform/db/index.js';
import { uuidv7 } from '../../platform/ids.js';
import type { DemoSeed } from '../../platform/module.js';
import { nextNumber } from '../../platform/numbering.js';
import { systemContext } from '../../platform/tenancy/index.js';
import { contentText, sanitizeContent, setContent } from './content.js';
import type { DocumentKind } from './contract.js';
import { setDistribution } from './distribution.js';
import { attachFile } from './files.js';
import { demoPdf, demoPng } from './seed-files.js';
import { createDocument, reviseDocument, transitionDocument } from './service.js';

/** The RF welder instruction as in force (rev 1), and as being revised for the new die (rev 2). */
const WELDER_REV1 = `<h2>1 Purpose</h2><p>Form 6 Fr catheter tips on RF welder station 3 with a repeatable geometry.</p>
<h2>2 Set-up</h2><ol><li>Fit the 6 Fr die set and check it is clean.</li><li>Set the die temperature to 190 °C (window 185–195 °C).</li><li>Set the dwell time to 4.0 s.</li></ol>
<h2>3 First article</h2><p>Measure the tip length and outer diameter of the first 3 tips; record them on the set-up sheet.</p>`;
const WELDER_REV2 = `<h2>1 Purpose</h2><p>Form 6 Fr and 7 Fr catheter tips on RF welder station 3 with a repeatable geometry.</p>
<h2>2 Set-up</h2><ol><li>Fit the die set for the catheter size (6 Fr or 7 Fr) and check it is clean.</li><li>Set the die temperature to 190 °C (window 185–195 °C).</li><li>Set the dwell time to 4.0 s for 6 Fr, 4.5 s for 7 Fr.</li></ol>
<h2>3 First article</h2><p>Measure the tip length and outer diameter of the first 5 tips; record them on the set-up sheet.</p>`;

const GOWNING = `<h2>1 Purpose and scope</h2><p>How everyone entering the ISO class 7 cleanroom gowns, and how operators are qualified to do so.</p>
<h2>2 Responsibilities</h2><ul><li><strong>Production supervisor</strong>: keeps the gowning room stocked and this SOP posted.</li><li><strong>QA</strong>: qualifies operators and audits gowning monthly.</li></ul>
<h2>3 Gowning sequence</h2><ol><li>Remove jewellery and outdoor clothing; put on dedicated shoes.</li><li>Wash and dry hands (30 s).</li><li>Put on hair cover and beard cover.</li><li>Step over the bench and put on the coverall without letting it touch the floor.</li><li>Put on overshoes, then gloves over the coverall cuffs.</li><li>Check yourself in the mirror against the poster.</li></ol>
<h2>4 Garment change</h2><p>Coveralls are changed daily and whenever soiled or torn; gloves at every re-entry.</p>
<h2>5 Records</h2><p>Gowning qualification is recorded as training on this SOP.</p>`;

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
  // Periodic reviews: the nonconforming product SOP is overdue, the others due in the coming years.
  await withChangeReason(tx, 'review dates and content taken over from the paper records', async () => {
    await tx.query(
      sql`UPDATE documents SET review_interval_months = 24,
            next_review_on = CASE WHEN id = ${legacyIds[1] as string}::uuid THEN current_date - 12 ELSE current_date + 200 END
          WHERE id = ANY(${legacyIds}::uuid[])`,
    );
    await tx.query(
      sql`UPDATE documents SET content_html = ${sanitizeContent(WELDER_REV1)}, body = ${contentText(sanitizeContent(WELDER_REV1))} WHERE id = ${legacyIds[2] as string}`,
    );
  });
  // The RF welder instruction is being revised for a new die: the diff shows what changes.
  const revision = await reviseDocument(tx, ctx, legacyIds[2] as string);
  await tx.query(sql`UPDATE documents SET summary = summary || ' Revised for the new 7 Fr die set.' WHERE id = ${revision.id}`);
  await setContent(tx, ctx, revision.id, WELDER_REV2);
  await attachFile(tx, ctx, revision.id, {
    fileName: 'RF welder 7 Fr set-up sheet.pdf',
    claimedType: 'application/pdf',
    content: demoPdf('RF welder station 3 - 7 Fr set-up sheet', [
      'Die set: 7 Fr, part no. DS-7F-03',
      'Die temperature: 190 C (185-195 C)',
      'Dwell time: 4.5 s',
      'First article: 5 tips, length and OD recorded',
    ]),
  });

  const leakTest = await createDocument(tx, ctx, {
    kind: 'work_instruction',
    title: 'Balloon leak test at 2 bar on leak tester LT-02',
    owner: 'Manufacturing Engineering',
    summary: 'Pressure decay test, 30 s hold, reject above 0.5 mbar drop; record results in the eDHR.',
  });
  await transitionDocument(tx, ctx, null, leakTest.id, { to: 'in_review' });

  const gowning = await createDocument(tx, ctx, {
    kind: 'sop',
    title: 'Cleanroom gowning, ISO class 7',
    owner: 'Production',
    summary: 'Gowning sequence, garment change intervals and gowning qualification of operators.',
    reviewIntervalMonths: 12,
  });
  await setContent(tx, ctx, gowning.id, GOWNING);
  await attachFile(tx, ctx, gowning.id, {
    fileName: 'Gowning sequence poster.pdf',
    claimedType: 'application/pdf',
    content: demoPdf('Cleanroom gowning, ISO class 7', [
      '1 Remove jewellery, put on cleanroom shoes',
      '2 Wash and dry hands (30 s)',
      '3 Hair cover and beard cover',
      '4 Coverall over the bench, not touching the floor',
      '5 Overshoes, then gloves over the cuffs',
      '6 Check in the mirror',
    ]),
  });
  await attachFile(tx, ctx, gowning.id, { fileName: 'Gowned operator pictogram.png', claimedType: 'image/png', content: demoPng() });
  // Who must have which document in force.
  await setDistribution(tx, ctx, legacyIds[0] as string, { roles: ['QA Manager', 'QA Inspector', 'Engineer'], workCenterIds: [] });
  await setDistribution(tx, ctx, legacyIds[1] as string, {
    roles: ['QA Manager', 'QA Inspector', 'Operator', 'Warehouse'],
    workCenterIds: [],
  });
  await setDistribution(tx, ctx, legacyIds[2] as string, { roles: ['Operator', 'Engineer'], workCenterIds: [] });
  await setDistribution(tx, ctx, legacyIds[3] as string, { roles: ['Operator', 'Production Planner'], workCenterIds: [] });
  await setDistribution(tx, ctx, gowning.id, { roles: ['Operator', 'QA Inspector', 'Engineer'], workCenterIds: [] });
  seed.notes.push(
    'documents: 4 effective SOPs, work instructions and forms (1 overdue for review), 1 in review, 2 drafts with content and files, distribution to roles',
  );
}
