import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../test/db.js';
import { createRole, createSigner } from '../../test/identity.js';
import { type PurchasingWorld, purchasingWorld } from '../../test/purchasing.js';
import { inspect, receivedLot } from '../../test/quality.js';
import { getLot, lotHistory } from '../modules/inventory/index.js';
import { describeNcr, type NcrRow, ncrOfInspection } from '../modules/nonconformance/index.js';
import { createDefectCode, setSettings } from '../modules/nonconformance/settings.js';
import type { Database, Tx } from '../platform/db/index.js';
import { listSignatures } from '../platform/esign/index.js';
import { Dispatcher } from '../platform/events/index.js';
import { disposeIncomingLot } from './dispose-incoming-lot.js';
import {
  cancelNonconformance,
  concurWithUseAsIs,
  dispositionNonconformance,
  releaseAfterReinspection,
} from './disposition-nonconformance.js';
import { raiseFromRejection, raiseNonconformance, raiseNonconformanceFlow } from './raise-nonconformance.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

/** A received lot of 500 connectors, inspected with 3 defectives and rejected by QA (Wang Fang). */
async function rejectedLot(w: PurchasingWorld) {
  const receipt = await receivedLot(w);
  const inspection = await inspect(w, receipt.lotId, 3);
  await w.tx((tx) =>
    disposeIncomingLot(tx, w.approver, w.verifier, inspection.id, { disposition: 'reject', credentials: w.credentialsOf(w.approver) }),
  );
  return { receipt, inspection };
}

/** Delivers the tenant's pending events to the subscription that raises NCRs from rejections. */
const deliverToNonconformance = (w: PurchasingWorld) =>
  new Dispatcher(db, { subscriptions: raiseNonconformanceFlow.subscriptions ?? [], tenants: [w.tenant.id] }).drain();

async function ncrFromRejection(w: PurchasingWorld) {
  const { receipt, inspection } = await rejectedLot(w);
  await deliverToNonconformance(w);
  const ncr = (await w.tx((tx) => ncrOfInspection(tx, inspection.id)))!;
  return { receipt, inspection, ncr };
}

const movementsOf = (tx: Tx, ncrId: string) =>
  tx.query<{
    movement_type: string;
    quantity: string;
    source_kind: string;
    source_id: string;
    source_line: number;
    from_location_id: string | null;
  }>(
    `SELECT movement_type, quantity::text AS quantity, source_kind, source_id, source_line, from_location_id
       FROM stock_movements WHERE source_kind = 'nonconformance' AND source_id = $1 ORDER BY source_line`,
    [ncrId],
  );

/** Everything a refusal must leave as it was: the NCR's record, the lot and the ledger rows it wrote. */
async function snapshot(w: PurchasingWorld, ncr: NcrRow, lotId: string) {
  return w.tx(async (tx) => ({
    ncr: await describeNcr(tx, ncr.id),
    lot: await getLot(tx, lotId),
    movements: (await movementsOf(tx, ncr.id)).rows,
    events: (await tx.query(`SELECT type FROM outbox_events WHERE aggregate_id = $1 ORDER BY aggregate_seq`, [ncr.id])).rows,
  }));
}

describe(`nonconformance with MRB disposition (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('raises one NCR from an inspection rejection, however often the event is delivered; the lot stays rejected', async () => {
    const w = await purchasingWorld(db);
    const { receipt, inspection, ncr } = await ncrFromRejection(w);
    expect(ncr).toMatchObject({
      number: expect.stringMatching(/^NCR-\d{4}-\d{5}$/),
      status: 'open',
      source: 'incoming_inspection',
      sourceId: inspection.id,
      supplierId: w.suppliers.approved,
      supplierCaused: true,
      receiptId: receipt.id,
      inspectionId: inspection.id,
      quantity: '500',
      openQuantity: '500',
    });
    // A redelivery (the same event again) finds the NCR and raises nothing.
    const again = await w.tx((tx) =>
      raiseFromRejection(tx, w.person, {
        inspectionId: inspection.id,
        number: inspection.number,
        lotId: receipt.lotId,
        receiptId: receipt.id,
        itemId: receipt.itemId,
        supplierId: receipt.supplierId,
        sampleSize: inspection.plan.sampleSize,
        nonconforming: 3,
      }),
    );
    expect(again!.id).toBe(ncr.id);
    await deliverToNonconformance(w);
    await w.tx(async (tx) => {
      const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM nonconformances');
      expect(rows[0]!.n).toBe(1);
      expect((await getLot(tx, receipt.lotId)).status).toBe('rejected');
      const detail = await describeNcr(tx, ncr.id);
      expect(detail.affected).toMatchObject([{ lotId: receipt.lotId, quantity: '500', disposed: '0', open: '500' }]);
      expect(detail.inspection?.code).toBe(inspection.number);
    });
  });

  it('scraps part and returns part of a rejected lot: scrap and return movements naming the NCR line, a supplier notification, then closes by signature', async () => {
    const w = await purchasingWorld(db);
    const { receipt, ncr } = await ncrFromRejection(w);
    await w.tx((tx) =>
      dispositionNonconformance(tx, w.approver, w.verifier, ncr.id, {
        lines: [
          { lotId: receipt.lotId, kind: 'scrap', quantity: '200' },
          { lotId: receipt.lotId, kind: 'return_to_supplier', quantity: '300' },
        ],
        justification: 'Thread fit fails the ISO 80369-7 gauge; supplier to replace',
        credentials: w.credentialsOf(w.approver),
      }),
    );
    await w.tx(async (tx) => {
      expect((await movementsOf(tx, ncr.id)).rows).toMatchObject([
        { movement_type: 'scrap', quantity: '200', source_kind: 'nonconformance', source_id: ncr.id, source_line: 1 },
        { movement_type: 'return', quantity: '300', source_kind: 'nonconformance', source_id: ncr.id, source_line: 2 },
      ]);
      const lot = await getLot(tx, receipt.lotId);
      expect(lot).toMatchObject({ onHand: '0', status: 'rejected' });
      const detail = await describeNcr(tx, ncr.id);
      expect(detail.openQuantity).toBe('0');
      expect(detail.notifications).toMatchObject([
        {
          supplierId: w.suppliers.approved,
          quantity: '300',
          lotNumbers: [`${lot.number} (S-24-001)`],
          text: expect.stringContaining(ncr.number),
        },
      ]);
      for (const d of detail.dispositions) {
        expect(await listSignatures(tx, 'ncr_dispositions', d.id)).toMatchObject([{ meaning: 'approved', signer: { name: 'Wang Fang' } }]);
      }
    });
    const closed = await w.tx(async (tx) => {
      const { closeNcr } = await import('../modules/nonconformance/ncrs.js');
      return closeNcr(tx, w.approver, w.verifier, ncr.id, { credentials: w.credentialsOf(w.approver) });
    });
    expect(closed.status).toBe('closed');
    await w.tx(async (tx) => {
      expect(await listSignatures(tx, 'nonconformances', ncr.id)).toMatchObject([{ meaning: 'approved', valid: true }]);
      const { rows } = await tx.query<{ type: string }>(
        `SELECT type FROM outbox_events WHERE aggregate_type = 'nonconformance.ncr' AND aggregate_id = $1 ORDER BY aggregate_seq`,
        [ncr.id],
      );
      expect(rows.map((r) => r.type)).toEqual([
        'nonconformance.ncr.raised',
        'nonconformance.ncr.dispositioned',
        'nonconformance.ncr.closed',
      ]);
    });
  });

  it('releases a rejected lot used as is only after engineering signs, and never by the quality signer twice', async () => {
    const w = await purchasingWorld(db);
    const { receipt, ncr } = await ncrFromRejection(w);
    await w.tx((tx) => setSettings(tx, { engineeringForUseAsIs: true }));
    const decided = await w.tx((tx) =>
      dispositionNonconformance(tx, w.approver, w.verifier, ncr.id, {
        lines: [{ lotId: receipt.lotId, kind: 'use_as_is', quantity: '500' }],
        justification: 'Defect is cosmetic flash outside the fluid path; risk assessment RA-112',
        credentials: w.credentialsOf(w.approver),
      }),
    );
    const disposition = decided.dispositions[0]!;
    expect(disposition.status).toBe('awaiting_engineering');
    await w.tx(async (tx) => expect((await getLot(tx, receipt.lotId)).status).toBe('rejected'));

    // Wang Fang signed for quality: she may hold engineering's permission too, and is still refused.
    await createRole(db, w, { name: 'MRB engineering', grants: ['nonconformance:sign.engineering'] });
    const wangAsEngineer = await createSigner(db, w, { fullName: 'Zhao Lei', roles: ['MRB engineering'] });
    const before = await snapshot(w, ncr, receipt.lotId);
    await expect(
      w.tx((tx) => concurWithUseAsIs(tx, w.approver, w.verifier, ncr.id, disposition.id, { credentials: w.credentialsOf(w.approver) })),
    ).rejects.toMatchObject({ status: 409, code: 'error.nonconformance.sameSigner' });
    expect(await snapshot(w, ncr, receipt.lotId)).toEqual(before);

    // A person without engineering's permission is refused by the signature.
    await createRole(db, w, { name: 'MRB quality only', grants: ['nonconformance:sign.dispositioned', 'nonconformance:read'] });
    const liNaQa = await createSigner(db, w, { fullName: 'Sun Li', roles: ['MRB quality only'] });
    await expect(
      w.tx((tx) => concurWithUseAsIs(tx, liNaQa.ctx, liNaQa.verifier, ncr.id, disposition.id, { credentials: liNaQa.credentials() })),
    ).rejects.toMatchObject({ status: 403, code: 'error.esign.notPermitted' });

    await w.tx((tx) =>
      concurWithUseAsIs(tx, wangAsEngineer.ctx, wangAsEngineer.verifier, ncr.id, disposition.id, {
        credentials: wangAsEngineer.credentials(),
      }),
    );
    await w.tx(async (tx) => {
      const lot = await getLot(tx, receipt.lotId);
      expect(lot).toMatchObject({ status: 'released', onHand: '500' });
      const qaSignature = (await listSignatures(tx, 'ncr_dispositions', disposition.id)).find((s) => s.meaning === 'approved')!;
      expect((await listSignatures(tx, 'ncr_dispositions', disposition.id)).map((s) => [s.meaning, s.signer.name])).toEqual([
        ['approved', 'Wang Fang'],
        ['verified', 'Zhao Lei'],
      ]);
      const change = (await lotHistory(tx, receipt.lotId)).statusChanges.at(-1)!;
      expect(change).toMatchObject({ fromStatus: 'rejected', toStatus: 'released', signatureId: qaSignature.id });
    });
  });

  it('a use as is without the engineering setting releases the lot under the quality signature at once', async () => {
    const w = await purchasingWorld(db);
    const { receipt, ncr } = await ncrFromRejection(w);
    await w.tx((tx) =>
      dispositionNonconformance(tx, w.approver, w.verifier, ncr.id, {
        lines: [{ lotId: receipt.lotId, kind: 'use_as_is', quantity: '500' }],
        justification: 'Concession per MRB minutes 2026-14',
        credentials: w.credentialsOf(w.approver),
      }),
    );
    await w.tx(async (tx) => expect((await getLot(tx, receipt.lotId)).status).toBe('released'));
  });

  it('puts the affected lot on hold when raised by hand, in the same transaction; rework keeps it held', async () => {
    const w = await purchasingWorld(db);
    const receipt = await receivedLot(w);
    const code = await w.tx((tx) => createDefectCode(tx, { code: 'VIS-01', name: 'Visual defect' }));
    const ncr = await w.tx((tx) =>
      raiseNonconformance(tx, w.person, {
        source: 'purchase_receipt',
        sourceId: receipt.id,
        description: 'Caps missing on part of the delivery',
        defectClass: 'minor',
        defectCodeIds: [code.id],
        containment: 'Lot segregated on the QA shelf',
        affected: [{ lotId: receipt.lotId, quantity: '40' }],
      }),
    );
    await w.tx(async (tx) => {
      const lot = await getLot(tx, receipt.lotId);
      expect(lot).toMatchObject({ status: 'on_hold', holdReason: `nonconformance ${ncr.number}` });
      const detail = await describeNcr(tx, ncr.id);
      expect(detail).toMatchObject({ supplierCaused: true, supplierId: w.suppliers.approved, defects: [{ code: 'VIS-01' }] });
    });
    await w.tx((tx) =>
      dispositionNonconformance(tx, w.approver, w.verifier, ncr.id, {
        lines: [{ lotId: receipt.lotId, kind: 'rework', quantity: '40' }],
        justification: 'Fit caps at the QA bench, then re-inspect',
        credentials: w.credentialsOf(w.approver),
      }),
    );
    await w.tx(async (tx) => expect((await getLot(tx, receipt.lotId)).status).toBe('on_hold'));

    // Re-inspected after rework: QA signs (meaning released) and the lot is released under that signature.
    await w.tx((tx) =>
      releaseAfterReinspection(tx, w.approver, w.verifier, ncr.id, receipt.lotId, {
        credentials: w.credentialsOf(w.approver),
        comment: '40 caps fitted; 8 re-sampled, all conforming',
      }),
    );
    await w.tx(async (tx) => {
      expect((await getLot(tx, receipt.lotId)).status).toBe('released');
      const detail = await describeNcr(tx, ncr.id);
      expect(detail.affected[0]).toMatchObject({ awaitsReinspection: false, reinspectedAt: expect.any(String) });
      expect(await listSignatures(tx, 'nonconformances', ncr.id)).toMatchObject([{ meaning: 'released', signer: { name: 'Wang Fang' } }]);
    });
    await expect(
      w.tx((tx) =>
        releaseAfterReinspection(tx, w.approver, w.verifier, ncr.id, receipt.lotId, {
          credentials: w.credentialsOf(w.approver),
          comment: 'again',
        }),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'error.nonconformance.notAwaitingReinspection' });
  });

  it('lifts its hold on what is left once the nonconforming quantity of a held lot is scrapped', async () => {
    const w = await purchasingWorld(db);
    const receipt = await receivedLot(w);
    const ncr = await w.tx((tx) =>
      raiseNonconformance(tx, w.person, {
        source: 'lot',
        sourceId: receipt.lotId,
        description: 'Cracked housings',
        defectClass: 'major',
        affected: [{ lotId: receipt.lotId, quantity: '10' }],
      }),
    );
    await w.tx((tx) =>
      dispositionNonconformance(tx, w.approver, w.verifier, ncr.id, {
        lines: [{ lotId: receipt.lotId, kind: 'scrap', quantity: '10' }],
        justification: 'Cracked: not repairable',
        credentials: w.credentialsOf(w.approver),
      }),
    );
    await w.tx(async (tx) => expect(await getLot(tx, receipt.lotId)).toMatchObject({ status: 'quarantine', onHand: '490' }));
  });

  it('refuses a manual raise above what the lot holds and leaves the lot untouched and no NCR', async () => {
    const w = await purchasingWorld(db);
    const receipt = await receivedLot(w);
    await expect(
      w.tx((tx) =>
        raiseNonconformance(tx, w.person, {
          source: 'lot',
          sourceId: receipt.lotId,
          description: 'Too many',
          defectClass: 'minor',
          affected: [{ lotId: receipt.lotId, quantity: '501' }],
        }),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'error.nonconformance.quantityAboveStock' });
    await w.tx(async (tx) => {
      expect((await getLot(tx, receipt.lotId)).status).toBe('quarantine');
      expect((await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM nonconformances')).rows[0]!.n).toBe(0);
    });
  });

  it('refuses dispositions that exceed, fractions of counted units, closing with quantity open and disposing a closed NCR — nothing changed', async () => {
    const w = await purchasingWorld(db);
    const { receipt, ncr } = await ncrFromRejection(w);
    const dispose = (lines: Array<{ kind: 'scrap' | 'use_as_is'; quantity: string }>) =>
      w.tx((tx) =>
        dispositionNonconformance(tx, w.approver, w.verifier, ncr.id, {
          lines: lines.map((l) => ({ lotId: receipt.lotId, ...l })),
          justification: 'MRB decision',
          credentials: w.credentialsOf(w.approver),
        }),
      );
    const before = await snapshot(w, ncr, receipt.lotId);
    await expect(
      dispose([
        { kind: 'scrap', quantity: '300' },
        { kind: 'use_as_is', quantity: '201' },
      ]),
    ).rejects.toMatchObject({
      status: 409,
      code: 'error.nonconformance.quantityExceeds',
    });
    await expect(dispose([{ kind: 'scrap', quantity: '2.5' }])).rejects.toMatchObject({
      status: 409,
      code: 'error.nonconformance.quantityInvalid',
    });
    expect(await snapshot(w, ncr, receipt.lotId)).toEqual(before);

    await dispose([{ kind: 'scrap', quantity: '100' }]);
    const { closeNcr } = await import('../modules/nonconformance/ncrs.js');
    const close = () => w.tx((tx) => closeNcr(tx, w.approver, w.verifier, ncr.id, { credentials: w.credentialsOf(w.approver) }));
    const partly = await snapshot(w, ncr, receipt.lotId);
    await expect(close()).rejects.toMatchObject({ status: 409, code: 'error.nonconformance.undisposed', params: { open: '400' } });
    await expect(dispose([{ kind: 'scrap', quantity: '401' }])).rejects.toMatchObject({ code: 'error.nonconformance.quantityExceeds' });
    expect(await snapshot(w, ncr, receipt.lotId)).toEqual(partly);

    await dispose([{ kind: 'scrap', quantity: '400' }]);
    await close();
    const closed = await snapshot(w, ncr, receipt.lotId);
    await expect(dispose([{ kind: 'scrap', quantity: '1' }])).rejects.toMatchObject({ status: 409, code: 'error.nonconformance.notOpen' });
    await expect(w.tx((tx) => cancelNonconformance(tx, w.person, ncr.id, 'raised in error'))).rejects.toMatchObject({
      code: 'error.nonconformance.notOpen',
    });
    expect(await snapshot(w, ncr, receipt.lotId)).toEqual(closed);
  });

  it('cancels an NCR raised in error with a reason and lifts the hold it put; not once something is disposed', async () => {
    const w = await purchasingWorld(db);
    const receipt = await receivedLot(w);
    const raise = () =>
      w.tx((tx) =>
        raiseNonconformance(tx, w.person, {
          source: 'lot',
          sourceId: receipt.lotId,
          description: 'Suspected mix-up',
          defectClass: 'critical',
        }),
      );
    const ncr = await raise();
    await expect(w.tx((tx) => cancelNonconformance(tx, w.person, ncr.id, '  '))).rejects.toMatchObject({
      code: 'error.nonconformance.reasonRequired',
    });
    const cancelled = await w.tx((tx) => cancelNonconformance(tx, w.person, ncr.id, 'Labels checked: no mix-up'));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Labels checked: no mix-up' });
    await w.tx(async (tx) => expect((await getLot(tx, receipt.lotId)).status).toBe('quarantine'));

    const second = await raise();
    await w.tx((tx) =>
      dispositionNonconformance(tx, w.approver, w.verifier, second.id, {
        lines: [{ lotId: receipt.lotId, kind: 'rework', quantity: '1' }],
        justification: 'Relabel one unit',
        credentials: w.credentialsOf(w.approver),
      }),
    );
    await expect(w.tx((tx) => cancelNonconformance(tx, w.person, second.id, 'wrong'))).rejects.toMatchObject({
      code: 'error.nonconformance.hasDispositions',
    });
  });
});
