import { type Static, Type } from 'typebox';
import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { DecimalString } from '../../platform/decimal.js';
import { ValidationFailed } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { keyset, type Page, toPage } from '../../platform/paging.js';
import { siteDay } from '../../platform/tenancy/index.js';
import {
  allOf,
  Code,
  found,
  Id,
  IsoDate,
  inCreationOrder,
  type ListRequest,
  Name,
  searchCodeOrName,
  updateRow,
  Version,
} from './common.js';
import { EQUIPMENT_STATUSES, type EquipmentStatus, MASTERDATA_EVENTS } from './contract.js';

/** Work centers (where operations run) and their equipment with calibration status (ISO 13485 7.6). */

export const WorkCenterFields = {
  code: Code,
  name: Name,
  siteId: Id,
  capacityHoursPerDay: DecimalString({ description: 'available hours per working day' }),
  workingDays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
    minItems: 1,
    maxItems: 7,
    uniqueItems: true,
    description: 'ISO weekdays worked, 1 = Monday … 7 = Sunday',
  }),
  subcontracted: Type.Boolean({ description: 'the operation is done by a subcontractor (e.g. EO sterilisation)' }),
  active: Type.Boolean(),
};
export const WorkCenter = Type.Object({ id: Id, ...WorkCenterFields, version: Version });
export type WorkCenter = Static<typeof WorkCenter>;
export const NewWorkCenter = Type.Object(
  {
    ...WorkCenterFields,
    workingDays: Type.Optional(WorkCenterFields.workingDays),
    subcontracted: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NewWorkCenter = Static<typeof NewWorkCenter>;
export const WorkCenterChanges = Type.Partial(Type.Object(WorkCenterFields), { additionalProperties: false, minProperties: 1 });
export type WorkCenterChanges = Static<typeof WorkCenterChanges>;

const WORK_CENTER_COLUMNS = `SELECT id, code, name, site_id AS "siteId", trim_scale(capacity_hours_per_day)::text AS "capacityHoursPerDay",
  working_days::int[] AS "workingDays", subcontracted, active, version FROM work_centers`;

export async function createWorkCenter(tx: Tx, input: NewWorkCenter): Promise<WorkCenter> {
  await assertSite(tx, input.siteId);
  const id = uuidv7();
  await tx.query(sql`INSERT INTO work_centers (id, code, name, site_id, capacity_hours_per_day, working_days, subcontracted, active)
    VALUES (${id}, ${input.code}, ${input.name}, ${input.siteId}, ${input.capacityHoursPerDay}, ${input.workingDays ?? [1, 2, 3, 4, 5]},
            ${input.subcontracted ?? false}, ${input.active ?? true})`);
  return getWorkCenter(tx, id);
}

export async function updateWorkCenter(tx: Tx, id: string, changes: WorkCenterChanges, versions?: readonly number[]): Promise<WorkCenter> {
  if (changes.siteId) await assertSite(tx, changes.siteId);
  await updateRow(tx, 'work_centers', id, changes, WORK_CENTER_FIELDS, versions);
  return getWorkCenter(tx, id);
}

const WORK_CENTER_FIELDS = {
  code: 'code',
  name: 'name',
  siteId: 'site_id',
  capacityHoursPerDay: 'capacity_hours_per_day',
  workingDays: 'working_days',
  subcontracted: 'subcontracted',
  active: 'active',
};

export async function getWorkCenter(tx: Tx, id: string): Promise<WorkCenter> {
  const { rows } = await tx.query<WorkCenter>(sql`${raw(WORK_CENTER_COLUMNS)} WHERE id = ${id}`);
  return found(rows[0], 'work center', id, 'error.masterdata.workCenter.notFound');
}

const WORK_CENTERS = inCreationOrder<WorkCenter>('workCenters');

export async function listWorkCenters(
  tx: Tx,
  page: ListRequest & { siteId?: string | undefined; active?: boolean | undefined },
): Promise<Page<WorkCenter>> {
  const where: SqlStatement[] = [
    ...searchCodeOrName(page.q),
    ...(page.siteId ? [sql`site_id = ${page.siteId}`] : []),
    ...(page.active === undefined ? [] : [sql`active = ${page.active}`]),
  ];
  const k = keyset(WORK_CENTERS, page);
  const { rows } = await tx.query<WorkCenter>(sql`${raw(WORK_CENTER_COLUMNS)} WHERE ${allOf(where, k)} ${k.orderBy} ${k.limit}`);
  return toPage(k, rows);
}

export async function assertSite(tx: Tx, siteId: string): Promise<void> {
  const { rowCount } = await tx.query(sql`SELECT 1 FROM sites WHERE id = ${siteId}`);
  if (rowCount === 0) {
    throw new ValidationFailed(`site ${siteId} does not exist`, [{ pointer: '/body/siteId', message: 'unknown site' }], {
      code: 'error.masterdata.site.unknown',
      params: { siteId },
    });
  }
}

export const EquipmentFields = {
  code: Code,
  name: Name,
  workCenterId: Id,
  status: Type.Enum(EQUIPMENT_STATUSES),
  calibrationDue: Type.Union([IsoDate, Type.Null()], { description: 'next calibration due; null when none is needed' }),
};
export const Equipment = Type.Object({
  id: Id,
  ...EquipmentFields,
  version: Version,
  calibrationOverdue: Type.Boolean({ description: "calibration due date has passed (today at the work center's site)" }),
  workCenterCode: Type.String(),
  workCenterName: Type.String(),
});
export type Equipment = Static<typeof Equipment>;
export const NewEquipment = Type.Object(
  { ...EquipmentFields, status: Type.Optional(EquipmentFields.status), calibrationDue: Type.Optional(EquipmentFields.calibrationDue) },
  { additionalProperties: false },
);
export type NewEquipment = Static<typeof NewEquipment>;
export const EquipmentChanges = Type.Partial(Type.Object(EquipmentFields), { additionalProperties: false, minProperties: 1 });
export type EquipmentChanges = Static<typeof EquipmentChanges>;

/**
 * Overdue is derived, never stored: it changes with the calendar, not with an edit; the calendar
 * of the site the equipment's work center is at.
 */
const CALIBRATION_OVERDUE = sql`coalesce(calibration_due < ${siteDay(
  sql`(SELECT w.site_id FROM work_centers w WHERE w.tenant_id = equipment.tenant_id AND w.id = equipment.work_center_id)`,
)}, false)`;
const EQUIPMENT_COLUMNS = sql`SELECT id, code, name, work_center_id AS "workCenterId", status, calibration_due::text AS "calibrationDue",
  ${CALIBRATION_OVERDUE} AS "calibrationOverdue", version,
  (SELECT w.code FROM work_centers w WHERE w.tenant_id = equipment.tenant_id AND w.id = equipment.work_center_id) AS "workCenterCode",
  (SELECT w.name FROM work_centers w WHERE w.tenant_id = equipment.tenant_id AND w.id = equipment.work_center_id) AS "workCenterName"
  FROM equipment`;

export async function createEquipment(tx: Tx, input: NewEquipment): Promise<Equipment> {
  await getWorkCenter(tx, input.workCenterId);
  const id = uuidv7();
  await tx.query(sql`INSERT INTO equipment (id, code, name, work_center_id, status, calibration_due)
    VALUES (${id}, ${input.code}, ${input.name}, ${input.workCenterId}, ${input.status ?? 'active'}, ${input.calibrationDue ?? null})`);
  return getEquipment(tx, id);
}

/** Taking equipment out of service (or back) is a state change other modules react to. */
export async function updateEquipment(tx: Tx, id: string, changes: EquipmentChanges, versions?: readonly number[]): Promise<Equipment> {
  const before = await getEquipment(tx, id);
  if (changes.workCenterId) await getWorkCenter(tx, changes.workCenterId);
  await updateRow(
    tx,
    'equipment',
    id,
    changes,
    { code: 'code', name: 'name', workCenterId: 'work_center_id', status: 'status', calibrationDue: 'calibration_due' },
    versions,
  );
  const after = await getEquipment(tx, id);
  if (after.status !== before.status) {
    await publish(tx, MASTERDATA_EVENTS.equipmentStatusChanged, {
      aggregateId: id,
      data: { code: after.code, from: before.status, to: after.status },
    });
  }
  return after;
}

export async function getEquipment(tx: Tx, id: string): Promise<Equipment> {
  const { rows } = await tx.query<Equipment>(sql`${EQUIPMENT_COLUMNS} WHERE id = ${id}`);
  return found(rows[0], 'equipment', id, 'error.masterdata.equipment.notFound');
}

const EQUIPMENT = inCreationOrder<Equipment>('equipment');

export async function listEquipment(
  tx: Tx,
  page: ListRequest & {
    workCenterId?: string | undefined;
    status?: EquipmentStatus | undefined;
    calibrationOverdue?: boolean | undefined;
  },
): Promise<Page<Equipment>> {
  const where: SqlStatement[] = [
    ...searchCodeOrName(page.q),
    ...(page.workCenterId ? [sql`work_center_id = ${page.workCenterId}`] : []),
    ...(page.status ? [sql`status = ${page.status}`] : []),
    ...(page.calibrationOverdue === undefined ? [] : [sql`${CALIBRATION_OVERDUE} = ${page.calibrationOverdue}`]),
  ];
  const k = keyset(EQUIPMENT, page);
  const { rows } = await tx.query<Equipment>(sql`${EQUIPMENT_COLUMNS} WHERE ${allOf(where, k)} ${k.orderBy} ${k.limit}`);
  return toPage(k, rows);
}
