import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.js';
import { onPostgres, testDatabase } from '../../test/db.js';
import { createRole, createSigner, createUser, loginAs, TestClock } from '../../test/identity.js';
import { type PurchasingWorld, purchasingWorld } from '../../test/purchasing.js';
import { inspect, receivedLot } from '../../test/quality.js';
import { totpAt } from '../modules/identity/totp.js';
import { getLot } from '../modules/inventory/index.js';
import { getInspection } from '../modules/quality/index.js';
import type { Database } from '../platform/db/index.js';
import { listSignatures, type SignerVerifier } from '../platform/esign/index.js';
import { disposeIncomingLot } from './dispose-incoming-lot.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

/** The verifier a test passes in, counting the re-authentications (each one a password hash in identity's). */
function counted(verifier: SignerVerifier): { verifier: SignerVerifier; count: () => number } {
  let n = 0;
  return {
    verifier: (tx, ctx, creds) => {
      n++;
      return verifier(tx, ctx, creds);
    },
    count: () => n,
  };
}

async function inspectedLot(w: PurchasingWorld, defectives = 0) {
  const receipt = await receivedLot(w);
  return { receipt, inspection: await inspect(w, receipt.lotId, defectives) };
}

describe(`the dispose-incoming-lot flow (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.200] re-authenticates the QA signer once for the decision and the lot it releases, and signs both', async () => {
    const w = await purchasingWorld(db);
    const { receipt, inspection } = await inspectedLot(w);
    const qa = counted(w.verifier);
    const credentials = w.credentialsOf(w.approver);
    const accepted = await w.tx((tx) =>
      disposeIncomingLot(tx, w.approver, qa.verifier, inspection.id, { disposition: 'accept', credentials, comment: 'COA reviewed' }),
    );
    expect(accepted.status).toBe('accepted');
    expect(qa.count()).toBe(1);
    await w.tx(async (tx) => {
      expect((await getLot(tx, receipt.lotId)).status).toBe('released');
      expect(await listSignatures(tx, 'inspections', inspection.id)).toMatchObject([
        { meaning: 'released', signer: { name: 'Wang Fang' } },
      ]);
      expect(await listSignatures(tx, 'lots', receipt.lotId)).toMatchObject([{ meaning: 'released', signer: { name: 'Wang Fang' } }]);
    });
  });

  it('[P11.10g] signs nothing when the signer may decide the inspection but not reject the lot', async () => {
    const w = await purchasingWorld(db);
    const { receipt, inspection } = await inspectedLot(w, 3);
    await createRole(db, w, { name: 'Inspection decisions only', grants: ['quality:*'] });
    const decider = await createSigner(db, w, { roles: ['Inspection decisions only'], fullName: 'Zhou Min' });
    const qualityOnly = counted(decider.verifier);
    await expect(
      w.tx((tx) =>
        disposeIncomingLot(tx, decider.ctx, qualityOnly.verifier, inspection.id, {
          disposition: 'reject',
          credentials: decider.credentials(),
        }),
      ),
    ).rejects.toMatchObject({ status: 403, code: 'error.esign.notPermitted', params: { permission: 'inventory:sign.rejected' } });
    expect(qualityOnly.count()).toBe(1);
    await w.tx(async (tx) => {
      expect((await getInspection(tx, inspection.id)).status).toBe('open');
      expect((await getLot(tx, receipt.lotId)).status).toBe('quarantine');
      expect(await listSignatures(tx, 'inspections', inspection.id)).toEqual([]);
    });
  });
});

describe(`disposing incoming lots over HTTP with the real identity checks (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  const clock = new TestClock();
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(db, { sessions: true, clock });
  });
  afterAll(() => app.close());

  it('[P11.200a] asks the authenticator at the first signing of a session, and checks the password once per disposition', async () => {
    const w = await purchasingWorld(db);
    const manager = await createUser(db, w, { roles: ['QA Manager'], fullName: 'Chen Jie' });
    const qa = await loginAs(app, manager, clock);
    const installed = app.signerVerifier!;
    const identity = counted(installed);
    app.signerVerifier = identity.verifier;
    try {
      const first = await inspectedLot(w);
      const dispose = (id: string, disposition: 'accept' | 'reject', body: Record<string, string>) =>
        qa.request('POST', `/api/v1/quality/inspections/${id}/${disposition}`, body);

      const noCode = await dispose(first.inspection.id, 'accept', { password: manager.password });
      expect(noCode.json()).toMatchObject({ status: 401, code: 'error.identity.signingNeedsTotp' });
      clock.advance(30_000);
      const before = identity.count();
      const accepted = await dispose(first.inspection.id, 'accept', {
        password: manager.password,
        totpCode: totpAt(manager.totpSecret as string, clock.now()),
      });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({ status: 'accepted', lot: { status: 'released' }, decidedBy: 'Chen Jie' });
      expect(identity.count() - before).toBe(1);

      // Later in the same session the password alone signs, again once for both records.
      const second = await inspectedLot(w, 3);
      const rejected = await dispose(second.inspection.id, 'reject', { password: manager.password, comment: 'burrs on thread' });
      expect(rejected.statusCode).toBe(200);
      expect(rejected.json()).toMatchObject({ status: 'rejected', lot: { status: 'rejected' } });
      expect(identity.count() - before).toBe(2);
      await w.tx(async (tx) => {
        for (const { inspection, receipt } of [first, second]) {
          expect(await listSignatures(tx, 'inspections', inspection.id)).toMatchObject([{ signer: { name: 'Chen Jie' }, valid: true }]);
          expect(await listSignatures(tx, 'lots', receipt.lotId)).toMatchObject([{ signer: { name: 'Chen Jie' }, valid: true }]);
        }
      });
    } finally {
      app.signerVerifier = installed;
    }
  });
});
