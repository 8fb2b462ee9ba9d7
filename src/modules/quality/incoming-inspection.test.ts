import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { createSigner } from '../../../test/identity.js';
import { purchasingWorld } from '../../../test/purchasing.js';
import { inspect, inspectionOf, receivedLot } from '../../../test/quality.js';
import { disposeIncomingLot } from '../../flows/dispose-incoming-lot.js';
import { recordHistory } from '../../platform/audit/index.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { listSignatures } from '../../platform/esign/index.js';
import { getLot } from '../inventory/index.js';
import { recordResult } from './inspections.js';
import { setInspectionPlan } from './plans.js';
import { samplingState } from './switching.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

const eventsOf = async (tx: Tx, type: string) =>
  (await tx.query<{ data: Record<string, unknown> }>('SELECT data FROM outbox_events WHERE type = $1 ORDER BY position', [type])).rows.map(
    (r) => r.data,
  );

describe(`incoming inspection with AQL sampling (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[Q.ACC][P11.10g-sod] opens an inspection per received lot with the ISO 2859-1 plan, refuses the decision of whoever recorded the results, and releases the accepted lot by QA signature', async () => {
    const w = await purchasingWorld(db);
    await w.tx((tx) =>
      setInspectionPlan(tx, w.items.luer, {
        characteristics: [
          { name: 'Visual: no flash, no short shot', kind: 'attribute' },
          { name: 'Thread outer diameter', kind: 'variable', lowerLimit: '5.90', upperLimit: '6.10', unit: 'mm' },
        ],
      }),
    );
    const receipt = await receivedLot(w);
    const opened = await w.tx((tx) => inspectionOf(tx, receipt.lotId));
    // Lot 500, level II → code letter H; normal inspection at AQL 1.0: n = 50, Ac 1, Re 2.
    expect(opened).toMatchObject({
      status: 'open',
      lotSize: 500,
      inspectionLevel: 'II',
      plan: { severity: 'normal', aql: '1.0', codeLetter: 'H', sampleSize: 50, accept: 1, reject: 2 },
      complete: false,
    });
    await expect(
      w.tx((tx) =>
        disposeIncomingLot(tx, w.approver, w.verifier, opened.id, { disposition: 'accept', credentials: w.credentialsOf(w.approver) }),
      ),
    ).rejects.toMatchObject({
      status: 422,
      code: 'error.quality.inspection.incomplete',
    });

    const [visual, diameter] = opened.characteristics;
    await w.tx(async (tx) => {
      await recordResult(tx, w.person, opened.id, visual!.id, { defectives: 0 });
      const values = Array.from({ length: 50 }, (_, i) => (i === 7 ? '6.11' : '6.02'));
      const running = await recordResult(tx, w.person, opened.id, diameter!.id, { measurements: values });
      expect(running).toMatchObject({ nonconforming: 1, verdict: 'accepted', complete: true });
    });
    // Evidence stays with the person who had the authority: an inspector without QA release cannot sign.
    await expect(
      w.tx((tx) =>
        disposeIncomingLot(tx, w.person, w.verifier, opened.id, {
          disposition: 'accept',
          credentials: w.credentialsOf(w.person),
          comment: 'own results',
        }),
      ),
    ).rejects.toMatchObject({
      status: 409,
      code: 'error.esign.separationOfDuties',
      params: { rule: 'notResultsRecorder', record: opened.number },
    });
    const inspector = await createSigner(db, w, { roles: ['QA Inspector'], totp: true });
    await expect(
      w.tx((tx) =>
        disposeIncomingLot(tx, inspector.ctx, inspector.verifier, opened.id, {
          disposition: 'accept',
          credentials: inspector.credentials(),
        }),
      ),
    ).rejects.toMatchObject({ status: 403, code: 'error.esign.notPermitted' });

    const accepted = await w.tx((tx) =>
      disposeIncomingLot(tx, w.approver, w.verifier, opened.id, {
        disposition: 'accept',
        credentials: w.credentialsOf(w.approver),
        comment: 'COA reviewed',
      }),
    );
    expect(accepted).toMatchObject({ status: 'accepted', decidedBy: 'Wang Fang' });
    await w.tx(async (tx) => {
      expect((await getLot(tx, receipt.lotId)).status).toBe('released');
      expect(await listSignatures(tx, 'inspections', opened.id)).toMatchObject([
        { meaning: 'released', valid: true, signer: { name: 'Wang Fang' } },
      ]);
      const history = await recordHistory(tx, 'inspections', opened.id);
      expect(history.map((e) => e.action)).toEqual(['insert', 'update']);
      expect(history[1]!.changes).toContainEqual({ field: 'status', old: 'open', new: 'accepted' });
      expect(await eventsOf(tx, 'quality.inspection.accepted')).toMatchObject([{ lotId: receipt.lotId, nonconforming: 1, sampleSize: 50 }]);
      const types = (await tx.query<{ type: string }>('SELECT DISTINCT type FROM outbox_events')).rows.map((r) => r.type);
      expect(types).toEqual(expect.arrayContaining(['purchasing.po.approved', 'purchasing.receipt.posted', 'quality.inspection.created']));
      expect(await samplingState(tx, w.items.luer, w.suppliers.approved)).toMatchObject({ severity: 'normal', recentLots: [true] });
    });
  });

  it('opens one inspection per lot however often the receipt event is delivered', async () => {
    const w = await purchasingWorld(db);
    const receipt = await receivedLot(w);
    await db.query(`UPDATE event_deliveries SET status = 'pending' WHERE tenant_id = $1`, [w.tenant.id]);
    await w.deliverEvents();
    const { rows } = await w.tx((tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM inspections WHERE lot_id = $1', [receipt.lotId]),
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('[Q.ACC] refuses to accept a lot whose sample reached the reject number, and rejects it with an event for the NCR work', async () => {
    const w = await purchasingWorld(db);
    const receipt = await receivedLot(w);
    const inspection = await inspect(w, receipt.lotId, 2);
    expect(inspection).toMatchObject({ nonconforming: 2, verdict: 'not-accepted' });
    await expect(
      w.tx((tx) =>
        disposeIncomingLot(tx, w.approver, w.verifier, inspection.id, { disposition: 'accept', credentials: w.credentialsOf(w.approver) }),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'error.quality.inspection.acceptContradictsSample' });
    expect((await w.tx((tx) => getLot(tx, receipt.lotId))).status).toBe('quarantine');

    await w.tx((tx) =>
      disposeIncomingLot(tx, w.approver, w.verifier, inspection.id, {
        disposition: 'reject',
        credentials: w.credentialsOf(w.approver),
        comment: 'burrs on thread',
      }),
    );
    await w.tx(async (tx) => {
      expect((await getLot(tx, receipt.lotId)).status).toBe('rejected');
      expect(await eventsOf(tx, 'quality.inspection.rejected')).toMatchObject([
        { lotId: receipt.lotId, receiptId: receipt.id, supplierId: w.suppliers.approved, nonconforming: 2 },
      ]);
    });
    await expect(
      w.tx((tx) => recordResult(tx, w.person, inspection.id, inspection.characteristics[0]!.id, { defectives: 0 })),
    ).rejects.toMatchObject({
      status: 409,
      code: 'error.quality.inspection.closed',
    });
  });

  it('switches the item and supplier to tightened inspection after 2 of 5 consecutive lots are rejected', async () => {
    const w = await purchasingWorld(db);
    for (const defectives of [2, 0, 3]) {
      const receipt = await receivedLot(w);
      const inspection = await inspect(w, receipt.lotId, defectives);
      await w.tx((tx) =>
        disposeIncomingLot(tx, w.approver, w.verifier, inspection.id, {
          disposition: defectives >= 2 ? 'reject' : 'accept',
          credentials: w.credentialsOf(w.approver),
          comment: defectives >= 2 ? 'rejected by sample' : undefined,
        }),
      );
    }
    expect(await w.tx((tx) => samplingState(tx, w.items.luer, w.suppliers.approved))).toMatchObject({ severity: 'tightened' });
    const next = await receivedLot(w);
    // Table II-B at AQL 1.0 points from code letter H down to J: the next lot is sampled n = 80, Ac 1, Re 2.
    const tightened = await w.tx((tx) => inspectionOf(tx, next.lotId));
    expect(tightened.plan).toMatchObject({ severity: 'tightened', codeLetter: 'H', planLetter: 'J', sampleSize: 80, accept: 1, reject: 2 });
  });
});
