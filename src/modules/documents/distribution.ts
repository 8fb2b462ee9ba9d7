import { sql, type Tx } from '../../platform/db/index.js';
import { BadInput, NotFound } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { getWorkCenter } from '../masterdata/index.js';
import { type DistributionTargetKind, DOCUMENT_EVENTS } from './contract.js';

export interface DistributionTarget {
  kind: DistributionTargetKind;
  /** The role's name, or the work center's id. */
  key: string;
  label: string;
}

export async function listDistribution(tx: Tx, number: string): Promise<DistributionTarget[]> {
  const { rows } = await tx.query<DistributionTarget>(
    sql`SELECT target_kind AS kind, target_key AS key, target_label AS label FROM document_distribution
      WHERE number = ${number} ORDER BY target_kind, target_label`,
  );
  return rows;
}

export interface DistributionInput {
  roles: string[];
  workCenterIds: string[];
}

const sameTarget = (a: DistributionTarget) => (b: DistributionTarget) => a.kind === b.kind && a.key === b.key;

/**
 * Sets who must have the document: roles (by name) and work centers. The distribution belongs to
 * the document, every revision; a change publishes what was added and removed. Role names with
 * control characters and work centers that do not exist are refused, all at once.
 */
export async function setDistribution(tx: Tx, ctx: TenantContext, id: string, input: DistributionInput): Promise<DistributionTarget[]> {
  const { rows } = await tx.query<{ number: string; revision: number }>(
    sql`SELECT number, revision FROM documents WHERE id = ${id} FOR UPDATE`,
  );
  const doc = rows[0];
  if (!doc) throw new NotFound(`document ${id} not found`, { code: 'error.documents.notFound', params: { id } });
  const roles = [...new Set(input.roles.map((r) => r.trim()))];
  const problems = roles.flatMap((r, i) =>
    r.length === 0 || /\p{Cc}/u.test(r) ? [{ pointer: `/body/roles/${i}`, message: 'must be a role name without control characters' }] : [],
  );
  const wanted: DistributionTarget[] = roles.map((r) => ({ kind: 'role', key: r, label: r }));
  for (const [i, wcId] of [...new Set(input.workCenterIds)].entries()) {
    const wc = await getWorkCenter(tx, wcId).catch(() => undefined);
    if (!wc) problems.push({ pointer: `/body/workCenterIds/${i}`, message: 'is not a work center' });
    else wanted.push({ kind: 'work_center', key: wc.id, label: `${wc.code} ${wc.name}` });
  }
  if (problems.length) {
    throw new BadInput(`the distribution is not valid: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`, problems, {
      code: 'error.documents.distributionInvalid',
    });
  }
  const current = await listDistribution(tx, doc.number);
  const added = wanted.filter((w) => !current.some(sameTarget(w)));
  const removed = current.filter((c) => !wanted.some(sameTarget(c)));
  for (const r of removed) {
    await tx.query(
      sql`DELETE FROM document_distribution WHERE number = ${doc.number} AND target_kind = ${r.kind} AND target_key = ${r.key}`,
    );
  }
  for (const a of added) {
    await tx.query(sql`INSERT INTO document_distribution (id, number, target_kind, target_key, target_label, added_by)
      VALUES (${uuidv7()}, ${doc.number}, ${a.kind}, ${a.key}, ${a.label}, ${ctx.actor.name})`);
  }
  if (added.length || removed.length) {
    await publish(tx, DOCUMENT_EVENTS.distributionChanged, {
      aggregateId: id,
      data: { documentId: id, number: doc.number, revision: doc.revision, added, removed },
    });
  }
  return listDistribution(tx, doc.number);
}

/** Effective documents distributed to any of these roles or work centers. */
export async function distributedTo(
  tx: Tx,
  targets: { roles: string[]; workCenterIds: string[] },
): Promise<Array<{ id: string; number: string; revision: number; title: string; via: DistributionTarget[] }>> {
  const { rows } = await tx.query<{ id: string; number: string; revision: number; title: string; via: DistributionTarget[] }>(
    sql`SELECT d.id, d.number, d.revision, d.title,
          jsonb_agg(jsonb_build_object('kind', x.target_kind, 'key', x.target_key, 'label', x.target_label) ORDER BY x.target_label) AS via
        FROM documents d JOIN document_distribution x ON x.number = d.number
       WHERE d.status = 'effective'
         AND ((x.target_kind = 'role' AND x.target_key = ANY(${targets.roles}::text[]))
           OR (x.target_kind = 'work_center' AND x.target_key = ANY(${targets.workCenterIds}::text[])))
       GROUP BY d.id, d.number, d.revision, d.title ORDER BY d.number LIMIT 500`,
  );
  return rows;
}
