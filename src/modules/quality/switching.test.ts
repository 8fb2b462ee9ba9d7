import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { createSigner, type Signer } from '../../../test/identity.js';
import { type PurchasingWorld, purchasingWorld } from '../../../test/purchasing.js';
import { inspect, receivedLot } from '../../../test/quality.js';
import { recordHistory } from '../../platform/audit/index.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { listSignatures } from '../../platform/esign/index.js';
import { disposeInspection } from './inspections.js';
import { setInspectionPlan } from './plans.js';
import { START_OF_INSPECTION } from './sampling.js';
import { decideSampling, getSwitchingRecord, samplingState, saveSamplingState, switchingSignatures } from './switching.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

/** Receives a lot of 500 connectors, records `defectives` in its one characteristic and disposes it by the sample. */
async function inspectLot(w: PurchasingWorld, defectives: number) {
  const receipt = await receivedLot(w);
  const judged = await inspect(w, receipt.lotId, defectives);
  const accept = defectives <= judged.plan.accept;
  await w.tx((tx) =>
    disposeInspection(tx, w.approver, w.verifier, judged.id, {
      disposition: accept ? 'accept' : 'reject',
      credentials: w.credentialsOf(w.approver),
      comment: accept ? undefined : 'rejected by sample',
    }),
  );
  return judged.plan;
}

/** A decision signed by the responsible authority (`person`, a QA manager) unless another signer is named. */
const decide = (w: PurchasingWorld, decision: 'permitReduced' | 'withdrawReduced' | 'resume', reason: string, by?: Signer) =>
  w.tx((tx: Tx) =>
    decideSampling(tx, by?.ctx ?? w.person, by?.verifier ?? w.verifier, w.items.luer, w.suppliers.approved, {
      decision,
      reason,
      credentials: by?.credentials() ?? w.credentialsOf(w.person),
    }),
  );

const stateOf = (w: PurchasingWorld) => w.tx((tx) => samplingState(tx, w.items.luer, w.suppliers.approved));

describe(`switching decisions of the responsible authority (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[Q.ACC] reduced inspection starts only with the signed consent once the switching score reaches 30, and ends when it is withdrawn', async () => {
    const w = await purchasingWorld(db);
    await w.tx((tx) => setInspectionPlan(tx, w.items.luer, { characteristics: [{ name: 'Visual', kind: 'attribute' }] }));
    // Fourteen accepted lots at Ac 1 on normal inspection score 28 (ISO 2859-1 9.3.3.2).
    await w.tx((tx) =>
      saveSamplingState(tx, w.items.luer, w.suppliers.approved, { ...START_OF_INSPECTION, switchingScore: 28, reducedPermitted: false }),
    );

    expect(await inspectLot(w, 0)).toMatchObject({ severity: 'normal', sampleSize: 50, accept: 1 });
    expect(await stateOf(w)).toMatchObject({ severity: 'normal', switchingScore: 30, reducedPermitted: false });

    // Only the responsible authority decides; a refused decision leaves nothing behind.
    const inspector = await createSigner(db, w, { roles: ['QA Inspector'], totp: true });
    await expect(decide(w, 'permitReduced', 'steady supplier', inspector)).rejects.toMatchObject({
      status: 403,
      code: 'error.esign.notPermitted',
    });
    expect(await stateOf(w)).toMatchObject({ reducedPermitted: false });

    const permitted = await decide(w, 'permitReduced', 'supplier audit SA-2026-11 passed; production steady');
    expect(permitted).toMatchObject({ severity: 'normal', reducedPermitted: true, signature: { meaning: 'approved', valid: true } });
    await expect(decide(w, 'permitReduced', 'again')).rejects.toMatchObject({ status: 409, code: 'error.sampling.alreadyPermitted' });

    // The next accepted lot switches (score ≥ 30, steady production, consent): the one after is sampled on Table II-C.
    expect(await inspectLot(w, 0)).toMatchObject({ severity: 'normal' });
    expect(await stateOf(w)).toMatchObject({ severity: 'reduced' });
    expect(await inspectLot(w, 0)).toMatchObject({ severity: 'reduced', sampleSize: 20 });

    const withdrawn = await decide(w, 'withdrawReduced', 'complaint trend on connectors');
    expect(withdrawn).toMatchObject({ severity: 'normal', reducedPermitted: false, switchingScore: 0 });
    await expect(decide(w, 'withdrawReduced', 'again')).rejects.toMatchObject({ status: 409, code: 'error.sampling.notPermitted' });

    await w.tx(async (tx) => {
      const signatures = await switchingSignatures(tx, w.items.luer, w.suppliers.approved);
      expect(signatures.map((s) => [s.meaning, s.comment, s.valid])).toEqual([
        ['approved', 'supplier audit SA-2026-11 passed; production steady', true],
        ['approved', 'complaint trend on connectors', true],
      ]);
      const { rows } = await tx.query<{ type: string; data: Record<string, unknown> }>(
        `SELECT type, data FROM outbox_events WHERE type = 'quality.sampling.decided' ORDER BY position`,
      );
      expect(rows.map((r) => [r.data.decision, r.data.from, r.data.to, r.data.reducedPermitted])).toEqual([
        ['permitReduced', 'normal', 'normal', true],
        ['withdrawReduced', 'reduced', 'normal', false],
      ]);
      const record = await getSwitchingRecord(tx, w.items.luer, w.suppliers.approved);
      const history = await recordHistory(tx, 'sampling_decisions', permitted.signature.recordId);
      expect(history[0]).toMatchObject({ action: 'insert', reason: 'permitReduced: supplier audit SA-2026-11 passed; production steady' });
      expect(record.severity).toBe('normal');
    });
  });

  it('[Q.ACC] a discontinued inspection accepts no lot until the authority resumes it on tightened, by signature', async () => {
    const w = await purchasingWorld(db);
    await w.tx((tx) => setInspectionPlan(tx, w.items.luer, { characteristics: [{ name: 'Visual', kind: 'attribute' }] }));
    await expect(decide(w, 'resume', 'nothing to resume')).rejects.toMatchObject({ status: 409, code: 'error.sampling.notDiscontinued' });
    await w.tx((tx) =>
      saveSamplingState(tx, w.items.luer, w.suppliers.approved, {
        severity: 'discontinued',
        recentLots: [false, false, true, false, false],
        switchingScore: 0,
        notAcceptedOnTightened: 5,
        reducedPermitted: false,
      }),
    );
    await expect(decide(w, 'permitReduced', 'too early')).rejects.toMatchObject({ status: 409, code: 'error.sampling.discontinued' });
    await expect(inspectLot(w, 0)).rejects.toMatchObject({ status: 409, code: 'error.sampling.discontinued' });

    const resumed = await decide(w, 'resume', 'SCAR-0042 closed: moulding parameters corrected and verified');
    expect(resumed).toMatchObject({ severity: 'tightened', notAcceptedOnTightened: 0, recentLots: [] });
    await w.tx(async (tx) => expect(await listSignatures(tx, 'sampling_decisions', resumed.signature.recordId)).toHaveLength(1));
    // The lot that waited is still on its tightened plan; the next one is accepted as the sample says.
    expect(await inspectLot(w, 0)).toMatchObject({ severity: 'tightened', sampleSize: 80 });
    expect(await stateOf(w)).toMatchObject({ severity: 'tightened', recentLots: [true] });
  });
});
