import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { createSigner, type Signer } from '../../../test/identity.js';
import { anItem, firstRevisionId, release, standardUnits } from '../../../test/masterdata.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { getBom, setBom } from './bom.js';
import { createWorkCenter } from './resources.js';
import {
  createNextRevision,
  getItemRevision,
  getReleasedRevision,
  itemRevisionDetail,
  listItemRevisions,
  nextRevisionLetter,
  transitionRevision,
  updateRevisionDescription,
} from './revisions.js';
import { getRouting, setRouting } from './routing.js';

let db: Database;
let t: TestTenant;
/** Submits and releases revisions. */
let qa: Signer;
/** Changes master data but does not release it. */
let engineer: Signer;
beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  await withTenant(db, t.ctx, standardUnits);
  qa = await createSigner(db, t, { roles: ['QA Manager'], login: 'qa.approver', fullName: 'Quinn Approver' });
  engineer = await createSigner(db, t, { roles: ['Engineer'], totp: true });
});
afterAll(() => db.close());

const inTenant = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db, t.ctx, fn);
const to = (status: 'in_review' | 'draft' | 'obsolete', comment?: string) => ({ to: status, comment });
const releaseBy = (signer: Signer, typed: { password?: string } = {}) => ({
  to: 'released' as const,
  credentials: { ...signer.credentials(), ...typed },
});
const step = (id: string, input: Parameters<typeof transitionRevision>[4], signer = qa) =>
  inTenant((tx) => transitionRevision(tx, signer.ctx, signer.verifier, id, input));

describe('item revision lifecycle', () => {
  it('[P11.10f] moves draft → in_review → released only in order, and names the allowed steps when refused', async () => {
    const rev = await inTenant(async (tx) => firstRevisionId(tx, (await anItem(tx)).id));
    await expect(step(rev, releaseBy(qa))).rejects.toMatchObject({
      status: 409,
      code: 'error.state.illegalTransition',
      params: { current: 'draft', requested: 'released', allowed: 'in_review, obsolete' },
    });
    await step(rev, to('in_review'));
    await expect(inTenant((tx) => updateRevisionDescription(tx, rev, 'sneaky edit in review'))).rejects.toMatchObject({
      code: 'error.masterdata.revision.readOnly',
    });
    await step(rev, to('draft'));
    await inTenant((tx) => updateRevisionDescription(tx, rev, 'reworked after review'));
    await step(rev, to('in_review'));
    const released = await step(rev, releaseBy(qa));
    expect(released).toMatchObject({ status: 'released', releasedBy: 'Quinn Approver', description: 'reworked after review' });
    expect(released.releasedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await expect(step(rev, to('draft'))).rejects.toMatchObject({ code: 'error.state.illegalTransition' });
    // [P11.50] the signature shows who, when and what it means, and still matches the content.
    const detail = await inTenant((tx) => itemRevisionDetail(tx, rev));
    expect(detail.signatures).toMatchObject([{ meaning: 'released', signer: { name: 'Quinn Approver' }, valid: true }]);
    expect(detail.allowedTransitions).toEqual([]);
    const events = await inTenant(async (tx) =>
      (
        await tx.query<{ type: string }>('SELECT type FROM outbox_events WHERE data @> $1::jsonb ORDER BY aggregate_seq', [
          JSON.stringify({ itemRevisionId: rev }),
        ])
      ).rows.map((e) => e.type),
    );
    expect(events).toEqual([
      'masterdata.itemRevision.submitted',
      'masterdata.itemRevision.returned',
      'masterdata.itemRevision.submitted',
      'masterdata.itemRevision.released',
    ]);
  });

  it('[P11.10g] releases only with a valid signature of someone holding the "released" authority', async () => {
    const rev = await inTenant(async (tx) => firstRevisionId(tx, (await anItem(tx)).id));
    await step(rev, to('in_review'));
    await expect(step(rev, { to: 'released' })).rejects.toMatchObject({ status: 422, code: 'error.esign.credentialsRequired' });
    await expect(step(rev, releaseBy(qa, { password: 'wrong' }))).rejects.toMatchObject({ status: 401 });
    await expect(step(rev, releaseBy(engineer), engineer)).rejects.toMatchObject({
      status: 403,
      code: 'error.esign.notPermitted',
    });
    expect((await inTenant((tx) => getItemRevision(tx, rev))).status).toBe('in_review');
  });

  it('[P11.10f] keeps a released revision read-only: BOM, routing and description change only through a new revision', async () => {
    await inTenant(async (tx) => {
      const device = await anItem(tx, { type: 'finished_device' });
      const part = await anItem(tx);
      const other = await anItem(tx);
      const wc = await createWorkCenter(tx, { code: 'ASSY', name: 'Assembly', siteId: t.site.id, capacityHoursPerDay: '8' });
      const revA = await firstRevisionId(tx, device.id);
      await setBom(tx, revA, [{ lineNo: 10, componentItemId: part.id, quantityPer: '2', unit: 'ea' }]);
      await setRouting(tx, revA, [{ sequence: 10, name: 'Assemble', workCenterId: wc.id, runMinutesPerUnit: '1.5' }]);
      await release(tx, qa, revA);

      const change = [{ lineNo: 10, componentItemId: other.id, quantityPer: '2', unit: 'ea' }];
      await expect(setBom(tx, revA, change)).rejects.toMatchObject({ status: 409, code: 'error.masterdata.revision.readOnly' });
      await expect(setRouting(tx, revA, [])).rejects.toMatchObject({ code: 'error.masterdata.revision.readOnly' });
      await expect(updateRevisionDescription(tx, revA, 'quiet fix')).rejects.toMatchObject({ code: 'error.masterdata.revision.readOnly' });

      const revB = await createNextRevision(tx, device.id, 'second-source part');
      expect(revB).toMatchObject({ revision: 'B', status: 'draft' });
      expect((await getBom(tx, revB.id)).map((l) => [l.componentItemId, l.quantityPer])).toEqual([[part.id, '2']]);
      expect((await getRouting(tx, revB.id)).map((o) => [o.name, o.runMinutesPerUnit])).toEqual([['Assemble', '1.5']]);
      await setBom(tx, revB.id, change);
      expect((await getBom(tx, revA)).map((l) => l.componentItemId)).toEqual([part.id]);
    });
  });

  it('[P11.10f] keeps process parameters, first article, line clearance and parallel flags with the routing; read-only once released', async () => {
    await inTenant(async (tx) => {
      const device = await anItem(tx, { type: 'finished_device' });
      const wc = await createWorkCenter(tx, { code: 'SEAL', name: 'Sealing', siteId: t.site.id, capacityHoursPerDay: '8' });
      const revA = await firstRevisionId(tx, device.id);
      const bad = setRouting(tx, revA, [
        {
          sequence: 10,
          name: 'Seal',
          workCenterId: wc.id,
          parallelWithPrevious: true,
          parameters: [
            { name: 'Temperature', unit: '°C', lowerLimit: '180', upperLimit: '170' },
            { name: 'Dwell', unit: 's', lowerLimit: null, upperLimit: null },
            // below absolute zero: not a temperature at all
            { name: 'Chill', unit: '°C', lowerLimit: '-500', upperLimit: '4' },
            { name: 'Humidity', unit: '% RH', lowerLimit: '20', upperLimit: '120' },
          ],
        },
      ]);
      const err = await bad.catch((e) => e);
      expect(err.code).toBe('error.masterdata.routing.invalid');
      expect(err.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
        '/body/operations/0/parallelWithPrevious',
        '/body/operations/0/parameters/0/upperLimit',
        '/body/operations/0/parameters/1',
        '/body/operations/0/parameters/2/lowerLimit',
        '/body/operations/0/parameters/3/upperLimit',
      ]);
      await setRouting(tx, revA, [
        {
          sequence: 10,
          name: 'Seal',
          workCenterId: wc.id,
          lineClearanceRequired: true,
          firstArticleRequired: true,
          parameters: [
            { name: 'Temperature', unit: '°C', lowerLimit: '170.5', upperLimit: '180.0' },
            { name: 'Pressure', unit: 'bar', lowerLimit: '2', upperLimit: null },
          ],
        },
        { sequence: 20, name: 'Label', workCenterId: wc.id, parallelWithPrevious: true },
      ]);
      const routing = await getRouting(tx, revA);
      expect(routing[0]).toMatchObject({
        firstArticleRequired: true,
        lineClearanceRequired: true,
        parallelWithPrevious: false,
        parameters: [
          { name: 'Temperature', unit: '°C', lowerLimit: '170.5', upperLimit: '180' },
          { name: 'Pressure', unit: 'bar', lowerLimit: '2', upperLimit: null },
        ],
      });
      expect(routing[1]).toMatchObject({ parallelWithPrevious: true, parameters: [] });
      await release(tx, qa, revA);
      await expect(setRouting(tx, revA, [])).rejects.toMatchObject({ code: 'error.masterdata.revision.readOnly' });
      const revB = await createNextRevision(tx, device.id, 'tighter seal window');
      expect(await getRouting(tx, revB.id)).toEqual(routing.map((o) => ({ ...o, id: expect.any(String) })));
    });
  });

  it('[P11.10f] refuses changes to a released revision made by SQL directly, past the application', async () => {
    const { revA, lineId } = await inTenant(async (tx) => {
      const device = await anItem(tx, { type: 'finished_device' });
      const revA = await firstRevisionId(tx, device.id);
      const [bomLine] = await setBom(tx, revA, [{ lineNo: 10, componentItemId: (await anItem(tx)).id, quantityPer: '1', unit: 'ea' }]);
      await release(tx, qa, revA);
      return { revA, lineId: bomLine!.id };
    });
    const attempts = [
      `UPDATE bom_lines SET quantity_per = 5 WHERE id = '${lineId}'`,
      `DELETE FROM bom_lines WHERE id = '${lineId}'`,
      `UPDATE item_revisions SET description = 'rewritten' WHERE id = '${revA}'`,
      `UPDATE item_revisions SET status = 'draft', released_at = NULL WHERE id = '${revA}'`,
    ];
    for (const statement of attempts) {
      await expect(inTenant((tx) => tx.query(statement))).rejects.toThrow(/read-only; make a new revision/);
    }
    expect((await inTenant((tx) => getBom(tx, revA))).map((l) => l.quantityPer)).toEqual(['1']);
  });

  it('releasing a new revision makes the previous released one obsolete in the same step', async () => {
    await inTenant(async (tx) => {
      const item = await anItem(tx);
      const revA = await firstRevisionId(tx, item.id);
      await release(tx, qa, revA);
      const revB = await createNextRevision(tx, item.id, 'tighter tolerance');
      await expect(createNextRevision(tx, item.id, 'a third one')).rejects.toMatchObject({ code: 'error.masterdata.revision.inWork' });
      await release(tx, qa, revB.id);
      const revisions = await listItemRevisions(tx, item.id);
      expect(revisions.map((r) => [r.revision, r.status])).toEqual([
        ['A', 'obsolete'],
        ['B', 'released'],
      ]);
      expect(revisions[0]!.obsoletedAt).not.toBeNull();
      expect((await getReleasedRevision(tx, item.id))?.id).toBe(revB.id);
    });
  });

  it('letters revisions as ASME Y14.35 does, skipping I, O, Q, S, X and Z', () => {
    expect(['', 'A', 'H', 'N', 'R', 'W', 'Y', 'AY', 'YY'].map((r) => nextRevisionLetter(r || undefined))).toEqual([
      'A',
      'B',
      'J',
      'P',
      'T',
      'Y',
      'AA',
      'BA',
      'AAA',
    ]);
  });
});
