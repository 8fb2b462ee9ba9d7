import { raw, sql, type Tx } from '../../platform/db/index.js';
import { dec } from '../../platform/decimal.js';
import { Conflict, NotFound, PreconditionRequired, ValidationFailed } from '../../platform/errors.js';
import { staleRecord } from '../../platform/http/etag.js';
import { uuidv7 } from '../../platform/ids.js';
import { keyset, type Listing, type Page, type PageRequest, toPage } from '../../platform/paging.js';
import { getItem } from '../masterdata/index.js';
import type { CharacteristicKind, InspectionLevel } from './contract.js';
import type { Characteristic } from './inspection-model.js';
import { type Aql, isAql } from './sampling.js';

export const DEFAULT_AQL: Aql = '1.0';
export const DEFAULT_LEVEL: InspectionLevel = 'II';

export interface CharacteristicInput {
  name: string;
  kind: CharacteristicKind;
  lowerLimit?: string | undefined;
  upperLimit?: string | undefined;
  unit?: string | undefined;
}

export interface InspectionPlanInput {
  aql?: string | undefined;
  inspectionLevel?: InspectionLevel | undefined;
  characteristics: CharacteristicInput[];
}

export interface InspectionPlan {
  id: string;
  itemId: string;
  aql: Aql;
  inspectionLevel: InspectionLevel;
  /** Row version, the plan's ETag. */
  version: number;
  /** Results were recorded against its characteristics, which therefore cannot be replaced. */
  inUse: boolean;
  characteristics: Characteristic[];
}

/** What a lot of an item without a plan of its own is inspected against. */
const DEFAULT_CHARACTERISTIC: CharacteristicInput = { name: 'Conforms to the purchase specification', kind: 'attribute' };

const PLAN_COLUMNS = `p.id, p.item_id AS "itemId", p.aql, p.inspection_level AS "inspectionLevel", p.version,
  EXISTS (SELECT 1 FROM inspection_results r JOIN inspection_characteristics c ON c.id = r.characteristic_id
           WHERE c.plan_id = p.id) AS "inUse"`;

async function loadPlan(tx: Tx, where: { itemId: string } | { id: string }): Promise<InspectionPlan | undefined> {
  const { rows } = await tx.query<Omit<InspectionPlan, 'characteristics'>>(
    'itemId' in where
      ? sql`SELECT ${raw(PLAN_COLUMNS)} FROM inspection_plans p WHERE p.item_id = ${where.itemId}`
      : sql`SELECT ${raw(PLAN_COLUMNS)} FROM inspection_plans p WHERE p.id = ${where.id}`,
  );
  const plan = rows[0];
  if (!plan) return undefined;
  return { ...plan, characteristics: await planCharacteristics(tx, plan.id) };
}

export interface InspectionPlanSummary extends Omit<InspectionPlan, 'characteristics'> {
  characteristics: number;
  updatedAt: string;
}

/** Every item's plan, oldest first (ids are time-ordered). */
const PLANS: Listing<InspectionPlanSummary> = {
  name: 'quality.inspectionPlans',
  sorts: { createdAt: [] },
  defaultSort: 'createdAt',
  id: { sql: 'p.id', type: 'uuid', of: 'id' },
};

/** Every item's plan, oldest first; `itemId` narrows to one item. */
export async function listInspectionPlans(tx: Tx, f: PageRequest & { itemId?: string | undefined }): Promise<Page<InspectionPlanSummary>> {
  const k = keyset(PLANS, { cursor: f.cursor, limit: f.limit });
  const { rows } = await tx.query<InspectionPlanSummary>(
    sql`SELECT ${raw(PLAN_COLUMNS)}, p.updated_at AS "updatedAt",
               (SELECT count(*)::int FROM inspection_characteristics c WHERE c.plan_id = p.id) AS characteristics
          FROM inspection_plans p
         WHERE (${f.itemId ?? null}::uuid IS NULL OR p.item_id = ${f.itemId ?? null})
           AND ${k.where}
         ${k.orderBy} ${k.limit}`,
  );
  return toPage(k, rows);
}

export async function planCharacteristics(tx: Tx, planId: string): Promise<Characteristic[]> {
  const { rows } = await tx.query<Characteristic>(
    sql`SELECT id, name, kind, lower_limit::text AS "lowerLimit", upper_limit::text AS "upperLimit", unit
          FROM inspection_characteristics WHERE plan_id = ${planId} ORDER BY seq`,
  );
  return rows;
}

export async function getInspectionPlan(tx: Tx, itemId: string): Promise<InspectionPlan> {
  const plan = await loadPlan(tx, { itemId });
  if (!plan) throw new NotFound(`item ${itemId} has no inspection plan`, { code: 'error.quality.plan.notFound', params: { itemId } });
  return plan;
}

function assertPlan(input: InspectionPlanInput): void {
  const errors: { pointer: string; message: string }[] = [];
  if (input.aql !== undefined && !isAql(input.aql)) errors.push({ pointer: '/body/aql', message: 'is not an AQL of the sampling tables' });
  if (input.characteristics.length === 0) errors.push({ pointer: '/body/characteristics', message: 'needs at least one characteristic' });
  input.characteristics.forEach((c, i) => {
    const at = `/body/characteristics/${i}`;
    if (c.kind === 'attribute' && (c.lowerLimit !== undefined || c.upperLimit !== undefined || c.unit !== undefined)) {
      errors.push({ pointer: at, message: 'an attribute has no limits or unit' });
    }
    if (c.kind === 'variable') {
      if (c.lowerLimit === undefined && c.upperLimit === undefined)
        errors.push({ pointer: at, message: 'a variable needs a lower or upper limit' });
      if (!c.unit) errors.push({ pointer: `${at}/unit`, message: 'a variable needs a unit' });
      if (c.lowerLimit !== undefined && c.upperLimit !== undefined && dec(c.lowerLimit).gte(dec(c.upperLimit))) {
        errors.push({ pointer: `${at}/upperLimit`, message: 'must be above the lower limit' });
      }
    }
  });
  if (errors.length) {
    throw new ValidationFailed(errors.map((e) => `${e.pointer} ${e.message}`).join('; '), errors, { code: 'error.quality.plan.invalid' });
  }
}

/**
 * Creates or replaces an item's inspection plan. Characteristics already used by recorded
 * results cannot be replaced: the evidence must keep pointing at what was inspected.
 * `versions` are those the caller's If-Match accepts (null: it sent none); a person replacing
 * an existing plan must name the version they read, so no change is lost. Omitted by the
 * module's own callers (seed, first use).
 */
export async function setInspectionPlan(
  tx: Tx,
  itemId: string,
  input: InspectionPlanInput,
  versions?: readonly number[] | null,
): Promise<InspectionPlan> {
  assertPlan(input);
  const item = await getItem(tx, itemId);
  const existing = await loadPlan(tx, { itemId });
  if (existing && versions !== undefined) {
    if (versions === null) {
      throw new PreconditionRequired(`send If-Match with the version of the plan of ${item.code} you are replacing`, {
        code: 'error.precondition.required',
      });
    }
    if (!versions.includes(existing.version)) throw staleRecord(`the inspection plan of ${item.code}`);
  }
  const aql = input.aql ?? DEFAULT_AQL;
  const level = input.inspectionLevel ?? DEFAULT_LEVEL;
  const planId = existing?.id ?? uuidv7();
  if (existing) {
    if (existing.inUse) {
      throw new Conflict(`the plan of ${item.code} has recorded results: its characteristics cannot be replaced`, {
        code: 'error.quality.plan.inUse',
        params: { itemId, item: item.code },
      });
    }
    await tx.query(sql`UPDATE inspection_plans SET aql = ${aql}, inspection_level = ${level}, version = version + 1, updated_at = now()
      WHERE id = ${planId}`);
    await tx.query(sql`DELETE FROM inspection_characteristics WHERE plan_id = ${planId}`);
  } else {
    await tx.query(sql`INSERT INTO inspection_plans (id, item_id, aql, inspection_level) VALUES (${planId}, ${itemId}, ${aql}, ${level})`);
  }
  for (const [i, c] of input.characteristics.entries()) {
    await tx.query(sql`INSERT INTO inspection_characteristics (id, plan_id, seq, name, kind, lower_limit, upper_limit, unit)
      VALUES (${uuidv7()}, ${planId}, ${i + 1}, ${c.name}, ${c.kind}, ${c.lowerLimit ?? null}, ${c.upperLimit ?? null}, ${c.unit ?? null})`);
  }
  return getInspectionPlan(tx, itemId);
}

/** The item's plan, or a default one (AQL 1.0, level II, one attribute) made on first use. */
export async function planForItem(tx: Tx, itemId: string): Promise<InspectionPlan> {
  return (await loadPlan(tx, { itemId })) ?? setInspectionPlan(tx, itemId, { characteristics: [DEFAULT_CHARACTERISTIC] });
}
