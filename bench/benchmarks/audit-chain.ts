import { sealAuditTrail, verifyAuditChain } from '../../src/platform/audit/index.js';
import { withTenant } from '../../src/platform/tenancy/index.js';
import { type Benchmark, createBenchTables, dropBenchTables, timed } from '../lib.js';

export const auditChain: Benchmark = {
  name: 'audit chain',
  description: "sealing and verifying a tenant's hash chain, in events per second",
  async run(env) {
    const n = env.n(100_000, 2_000);
    await createBenchTables(env.db);
    try {
      await withTenant(env.db, env.ctx, (tx) =>
        tx.query(
          `INSERT INTO bench_audited (id, code, name, uom, qty, status)
           SELECT mf_uuidv7(), 'ITEM-' || g, 'Guidewire 0.035 in, coil ' || g, 'EA', g, 'active' FROM generate_series(1, $1) AS g`,
          [n],
        ),
      );
      // The fastest equivalent in raw SQL: read every event and hash its content once.
      const raw = await timed(() =>
        env.db.query(
          `SELECT count(sha256(convert_to(concat_ws('|', id, tenant_id, at, actor_kind, actor_id, actor_name, action, entity,
                                                     record_id, old_values, new_values, reason, request_id), 'UTF8')))
             FROM audit_event WHERE tenant_id = $1`,
          [env.tenantId],
        ),
      );
      const events = (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event WHERE tenant_id = $1', [env.tenantId]))
        .rows[0]?.n as number;
      const seal = await timed(() => sealAuditTrail(env.db, env.tenantId));
      let ok = false;
      const verify = await timed(async () => {
        ok = (await verifyAuditChain(env.db, env.tenantId)).ok;
      });
      if (!ok) throw new Error('the chain did not verify');
      const baseline = 'hash every event once, raw SQL';
      return [
        { name: baseline, n: events, seconds: raw },
        { name: 'seal (assign chain, hash, write)', n: events, seconds: seal, baseline },
        { name: 'verify (walk and re-hash the chain)', n: events, seconds: verify, baseline },
      ];
    } finally {
      await dropBenchTables(env.db);
    }
  },
};
