import { hmacHex, sha256Hex } from '../crypto.js';
import { type Database, raw, sql, type Tx } from '../db/index.js';
import { type Job, repeatEvery } from '../jobs.js';

/**
 * Sealing and verifying the hash chain. Triggers only append events; the sealer later gives each
 * finished transaction's events their place in the tenant's chain (seq) and links them:
 * hash = SHA-256(prev_hash || canonical content). Runs as the table owner, outside any tenant
 * context; the append-only trigger lets it set only the seal columns of unsealed events.
 */
export const GENESIS_HASH = '0'.repeat(64);
const BATCH = 2000;
/** Unsealed events older than this make verification fail: the sealer should have run. */
export const UNSEALED_TOLERANCE_SECONDS = 5;

interface ContentRow {
  id: number;
  tenant: string;
  at: string;
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  action: string;
  entity: string;
  record_id: string | null;
  old_values: string | null;
  new_values: string | null;
  reason: string | null;
  request_id: string | null;
}

// Text renderings made by PostgreSQL (jsonb text is normalised), so the sealer and the verifier
// hash exactly the same bytes and no value passes through a lossy JavaScript number.
const CONTENT_COLUMNS = `id, tenant_id::text AS tenant,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
  actor_kind, actor_id, actor_name, action, entity, record_id,
  old_values::text AS old_values, new_values::text AS new_values, reason, request_id`;

function linkHash(prevHash: string, seq: number, e: ContentRow): string {
  const content = JSON.stringify([
    seq,
    e.tenant,
    String(e.id),
    e.at,
    e.actor_kind,
    e.actor_id,
    e.actor_name,
    e.action,
    e.entity,
    e.record_id,
    e.old_values,
    e.new_values,
    e.reason,
    e.request_id,
  ]);
  return sha256Hex(prevHash + content);
}

async function chainHead(tx: Tx, tenantId: string): Promise<{ seq: number; hash: string }> {
  const { rows } = await tx.query<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM audit_chain_head WHERE tenant_id = ${tenantId}`);
  return rows[0] ?? { seq: 0, hash: GENESIS_HASH };
}

/** The purpose of the key checkpoints are signed with (purposeKey(config, …)). */
export const AUDIT_CHECKPOINT_PURPOSE = 'audit-checkpoint';

/** Sealing with checkpoints: the key the checkpoints are signed with, and where each one is also reported (the server log). */
export interface CheckpointOptions {
  checkpointKey?: Buffer | undefined;
  onCheckpoint?: ((checkpoint: Checkpoint) => void) | undefined;
  /** At most one checkpoint per tenant this often (a verification always writes one). */
  checkpointEverySeconds?: number | undefined;
}

export interface Checkpoint {
  tenantId: string;
  seq: number;
  hash: string;
  at: string;
}

const checkpointMac = (key: Buffer, c: Checkpoint): string => hmacHex(key, `${c.tenantId}|${c.seq}|${c.hash}|${c.at}`);

/** Signs the chain head as a checkpoint, unless one was written within `everySeconds` or the head is already checkpointed. */
async function writeCheckpoint(
  tx: Tx,
  tenantId: string,
  head: { seq: number; hash: string },
  key: Buffer,
  everySeconds: number,
): Promise<Checkpoint | undefined> {
  if (head.seq === 0) return undefined;
  const { rows: recent } = await tx.query<{ seq: number }>(
    sql`SELECT seq FROM audit_checkpoints WHERE tenant_id = ${tenantId} AND (seq = ${head.seq} OR at > now() - make_interval(secs => ${everySeconds})) LIMIT 1`,
  );
  if (recent.length > 0) return undefined;
  const { rows } = await tx.query<{ at: string }>(sql`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`);
  const checkpoint: Checkpoint = { tenantId, seq: head.seq, hash: head.hash, at: (rows[0] as { at: string }).at };
  await tx.query(
    sql`INSERT INTO audit_checkpoints (tenant_id, seq, hash, at, mac) VALUES (${tenantId}, ${checkpoint.seq}, ${checkpoint.hash}, ${checkpoint.at}, ${checkpointMac(key, checkpoint)})`,
  );
  return checkpoint;
}

/** Seals one batch of a tenant's finished events; returns how many it sealed. */
async function sealBatch(db: Database, tenantId: string, opts: CheckpointOptions = {}): Promise<number> {
  return db.transaction(async (tx) => {
    // One sealer per tenant at a time, across processes.
    await tx.query(sql`SELECT pg_advisory_xact_lock(hashtext('mf_audit_seal'), hashtext(${tenantId}))`);
    const head = await chainHead(tx, tenantId);
    // Only transactions below the snapshot's xmin are certainly finished: an event sealed now
    // can never be preceded by one that commits later.
    const { rows } = await tx.query<ContentRow>(
      sql`SELECT ${raw(CONTENT_COLUMNS)} FROM audit_event
        WHERE tenant_id = ${tenantId} AND seq IS NULL AND xid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY id LIMIT ${BATCH}`,
    );
    if (rows.length === 0) return 0;
    const ids: number[] = [];
    const seqs: number[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    let { seq, hash } = head;
    for (const row of rows) {
      seq += 1;
      ids.push(row.id);
      seqs.push(seq);
      prevs.push(hash);
      hash = linkHash(hash, seq, row);
      hashes.push(hash);
    }
    await tx.query(
      sql`UPDATE audit_event a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
         FROM unnest(${ids}::bigint[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[]) AS v(id, seq, prev_hash, hash)
        WHERE a.tenant_id = ${tenantId} AND a.id = v.id AND a.seq IS NULL`,
    );
    await tx.query(
      sql`INSERT INTO audit_chain_head (tenant_id, seq, hash) VALUES (${tenantId}, ${seq}, ${hash})
       ON CONFLICT (tenant_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, sealed_at = now()`,
    );
    if (opts.checkpointKey) {
      const checkpoint = await writeCheckpoint(tx, tenantId, { seq, hash }, opts.checkpointKey, opts.checkpointEverySeconds ?? 60);
      if (checkpoint) opts.onCheckpoint?.(checkpoint);
    }
    return rows.length;
  });
}

/** Seals every finished event of one tenant, or of all tenants; returns how many were sealed. */
export async function sealAuditTrail(db: Database, tenantId?: string, opts: CheckpointOptions = {}): Promise<number> {
  const tenants = tenantId
    ? [tenantId]
    : (await db.query<{ tenant_id: string }>(sql`SELECT DISTINCT tenant_id FROM audit_event WHERE seq IS NULL`)).rows.map(
        (r) => r.tenant_id,
      );
  let sealed = 0;
  for (const t of tenants) {
    for (;;) {
      const n = await sealBatch(db, t, opts);
      sealed += n;
      if (n < BATCH) break;
    }
  }
  return sealed;
}

export interface BrokenLink {
  seq: number;
  eventId: string | null;
  problem: 'hash-mismatch' | 'prev-hash-mismatch' | 'missing-event' | 'head-mismatch' | 'checkpoint-mismatch' | 'checkpoint-forged';
  detail: string;
}

export interface ChainReport {
  tenantId: string;
  /** Sealed events checked. */
  checked: number;
  /** The first broken link, or null when every sealed event is intact. */
  firstBroken: BrokenLink | null;
  unsealed: { count: number; oldestAgeSeconds: number | null };
  /** Signed checkpoints checked against the chain, and the latest of them. */
  checkpoints: { checked: number; latest: Checkpoint | null };
  /** Intact chain and no event left unsealed longer than the tolerance. */
  ok: boolean;
}

interface ChainRow extends ContentRow {
  seq: number;
  prev_hash: string;
  hash: string;
}

/**
 * Seals what is finished, then walks the tenant's chain from the start and names the first
 * broken link: an event whose content no longer matches its hash, a link to a predecessor that
 * is not there, or a chain cut short against its recorded head.
 */
export async function verifyAuditChain(db: Database, tenantId: string, opts: CheckpointOptions = {}): Promise<ChainReport> {
  await sealAuditTrail(db, tenantId, opts);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let firstBroken: BrokenLink | null = null;
  walk: for (;;) {
    const { rows } = await db.query<ChainRow>(
      sql`SELECT ${raw(CONTENT_COLUMNS)}, seq, prev_hash, hash FROM audit_event
        WHERE tenant_id = ${tenantId} AND seq >= ${expectedSeq} ORDER BY seq LIMIT ${BATCH * 5}`,
    );
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        firstBroken = { seq: expectedSeq, eventId: null, problem: 'missing-event', detail: `event #${expectedSeq} is missing` };
        break walk;
      }
      if (row.prev_hash !== prevHash) {
        firstBroken = {
          seq: row.seq,
          eventId: String(row.id),
          problem: 'prev-hash-mismatch',
          detail: `event #${row.seq} does not link to event #${row.seq - 1}`,
        };
        break walk;
      }
      if (linkHash(prevHash, row.seq, row) !== row.hash) {
        firstBroken = {
          seq: row.seq,
          eventId: String(row.id),
          problem: 'hash-mismatch',
          detail: `event #${row.seq} was altered after it was sealed`,
        };
        break walk;
      }
      prevHash = row.hash;
      expectedSeq += 1;
    }
    if (rows.length < BATCH * 5) break;
  }
  const checked = expectedSeq - 1;
  if (!firstBroken) {
    const head = await db.transaction((tx) => chainHead(tx, tenantId));
    if (head.seq !== checked || head.hash !== prevHash) {
      firstBroken = {
        seq: checked + 1,
        eventId: null,
        problem: 'head-mismatch',
        detail: `the chain ends at event #${checked} but its head records event #${head.seq}`,
      };
    }
  }
  const checkpoints = await checkCheckpoints(db, tenantId, opts.checkpointKey);
  firstBroken ??= checkpoints.broken;
  if (!firstBroken && opts.checkpointKey) {
    // A verification vouches for the chain it just checked: its head becomes a checkpoint.
    const head = await db.transaction((tx) => chainHead(tx, tenantId));
    const written = await db.transaction((tx) => writeCheckpoint(tx, tenantId, head, opts.checkpointKey as Buffer, 0));
    if (written) {
      opts.onCheckpoint?.(written);
      checkpoints.latest = written;
      checkpoints.checked += 1;
    }
  }
  const { rows: pending } = await db.query<{ count: number; age: number | null }>(
    sql`SELECT count(*)::int AS count, extract(epoch FROM now() - min(at))::float8 AS age
       FROM audit_event WHERE tenant_id = ${tenantId} AND seq IS NULL`,
  );
  const unsealed = { count: pending[0]?.count ?? 0, oldestAgeSeconds: pending[0]?.age ?? null };
  const stale = unsealed.oldestAgeSeconds !== null && unsealed.oldestAgeSeconds > UNSEALED_TOLERANCE_SECONDS;
  return {
    tenantId,
    checked,
    firstBroken,
    unsealed,
    checkpoints: { checked: checkpoints.checked, latest: checkpoints.latest },
    ok: !firstBroken && !stale,
  };
}

/**
 * Every checkpoint must carry a valid HMAC and name the hash the chain has at its position: a
 * chain rewritten and re-sealed after a checkpoint no longer matches it.
 */
async function checkCheckpoints(
  db: Database,
  tenantId: string,
  key: Buffer | undefined,
): Promise<{ checked: number; latest: Checkpoint | null; broken: BrokenLink | null }> {
  const { rows } = await db.query<{ seq: number; hash: string; at: string; mac: string; chainHash: string | null; eventId: string | null }>(
    sql`SELECT c.seq, c.hash, to_char(c.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, c.mac,
            e.hash AS "chainHash", e.id::text AS "eventId"
       FROM audit_checkpoints c LEFT JOIN audit_event e ON e.tenant_id = c.tenant_id AND e.seq = c.seq
      WHERE c.tenant_id = ${tenantId} ORDER BY c.seq`,
  );
  let latest: Checkpoint | null = null;
  for (const row of rows) {
    const checkpoint: Checkpoint = { tenantId, seq: Number(row.seq), hash: row.hash, at: row.at };
    const forged = key !== undefined && checkpointMac(key, checkpoint) !== row.mac;
    if (forged || row.chainHash !== row.hash) {
      const detail = forged
        ? `the checkpoint at event #${checkpoint.seq} is not signed by this server`
        : `the chain at event #${checkpoint.seq} differs from the checkpoint signed ${checkpoint.at}: it was rewritten and sealed again`;
      const problem = forged ? 'checkpoint-forged' : 'checkpoint-mismatch';
      return { checked: rows.length, latest, broken: { seq: checkpoint.seq, eventId: row.eventId, problem, detail } };
    }
    latest = checkpoint;
  }
  return { checked: rows.length, latest, broken: null };
}

/** The background sealer: seals every few hundred milliseconds until stopped. */
export function startAuditSealer(
  db: Database,
  opts: CheckpointOptions & { intervalMs?: number; onError?: (err: unknown) => void } = {},
): Job {
  return repeatEvery(opts.intervalMs ?? 500, () => sealAuditTrail(db, undefined, opts), { onError: opts.onError });
}
