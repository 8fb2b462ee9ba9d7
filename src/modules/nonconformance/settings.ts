import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict } from '../../platform/errors.js';
import type { DefectCode, NonconformanceSettings } from './contract.js';

export async function getSettings(tx: Tx): Promise<NonconformanceSettings> {
  const { rows } = await tx.query<NonconformanceSettings>(
    sql`SELECT engineering_for_use_as_is AS "engineeringForUseAsIs" FROM nonconformance_settings`,
  );
  return rows[0] ?? { engineeringForUseAsIs: false };
}

export async function engineeringRequired(tx: Tx): Promise<boolean> {
  return (await getSettings(tx)).engineeringForUseAsIs;
}

export async function setSettings(tx: Tx, settings: NonconformanceSettings): Promise<NonconformanceSettings> {
  await tx.query(sql`INSERT INTO nonconformance_settings (engineering_for_use_as_is) VALUES (${settings.engineeringForUseAsIs})
    ON CONFLICT (tenant_id) DO UPDATE SET engineering_for_use_as_is = excluded.engineering_for_use_as_is, updated_at = now()`);
  return getSettings(tx);
}

export async function listDefectCodes(tx: Tx, opts: { activeOnly?: boolean } = {}): Promise<DefectCode[]> {
  const { rows } = await tx.query<DefectCode>(
    sql`SELECT id, code, name, active FROM ncr_defect_codes ${opts.activeOnly ? sql`WHERE active` : sql``} ORDER BY code`,
  );
  return rows;
}

export async function activeDefectCodes(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ id: string }>(sql`SELECT id FROM ncr_defect_codes WHERE id = ANY(${ids}::uuid[]) AND active`);
  return new Set(rows.map((r) => r.id));
}

export async function createDefectCode(tx: Tx, input: { code: string; name: string }): Promise<DefectCode> {
  const { rows } = await tx.query<DefectCode>(sql`INSERT INTO ncr_defect_codes (code, name) VALUES (${input.code}, ${input.name.trim()})
    ON CONFLICT (tenant_id, code) DO NOTHING RETURNING id, code, name, active`);
  if (!rows[0]) {
    throw new Conflict(`defect code ${input.code} exists`, { code: 'error.nonconformance.defectCodeExists', params: { code: input.code } });
  }
  return rows[0];
}

export async function setDefectCodeActive(tx: Tx, id: string, active: boolean): Promise<DefectCode> {
  const { rows } = await tx.query<DefectCode>(
    sql`UPDATE ncr_defect_codes SET active = ${active} WHERE id = ${id} RETURNING id, code, name, active`,
  );
  if (!rows[0]) throw new Conflict(`defect code ${id} not found`, { code: 'error.nonconformance.defectCodeNotFound' });
  return rows[0];
}

/** The active defect codes with their ids, for picking by code. */
export async function activeDefectCodeIds(tx: Tx): Promise<Array<{ id: string; code: string }>> {
  return (await listDefectCodes(tx, { activeOnly: true })).map(({ id, code }) => ({ id, code }));
}
