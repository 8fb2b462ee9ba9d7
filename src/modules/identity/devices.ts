import { type Static, Type } from 'typebox';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Conflict, type FieldError, Forbidden, invalidFields, NotFound } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { keyset, type Listing, type Page, type PageRequest, toPage } from '../../platform/paging.js';
import { Code, Id, Name, Nullable } from '../../platform/schema.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { getWorkCenter } from '../masterdata/index.js';
import { DEVICE_KINDS, type DeviceKind } from './contract.js';

/**
 * Registered devices (21 CFR 11.10(h)): the machines whose API tokens may record execution data.
 * Each is bound to one work center of masterdata and records only there; deactivation is for
 * good (with a reason) and refuses its tokens at once. Registering and deactivating administer,
 * they do not sign.
 */
export const Device = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  kind: Type.Enum(DEVICE_KINDS),
  workCenter: Type.Object({ id: Id, code: Type.String(), name: Type.String() }),
  active: Type.Boolean(),
  deactivatedReason: Nullable(Type.String()),
  deactivatedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});
export type Device = Static<typeof Device>;

export const NewDevice = Type.Object(
  {
    code: Code,
    name: Name,
    kind: Type.Enum(DEVICE_KINDS),
    workCenterId: Id,
  },
  { additionalProperties: false },
);
export type NewDevice = Static<typeof NewDevice>;

export const DeactivateDevice = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });

/** What a request made with a device-bound token knows of its device. */
export interface DeviceBinding {
  id: string;
  code: string;
  workCenterId: string;
  active: boolean;
}

type DeviceRow = Omit<Device, 'workCenter'> & { workCenterId: string };

const COLUMNS = `d.id, d.code, d.name, d.kind, d.work_center_id AS "workCenterId", d.active, d.deactivated_reason AS "deactivatedReason",
  d.deactivated_at AS "deactivatedAt", d.created_at AS "createdAt", d.version`;

async function withWorkCenters(tx: Tx, rows: DeviceRow[]): Promise<Device[]> {
  const centers = new Map<string, Device['workCenter']>();
  for (const id of new Set(rows.map((r) => r.workCenterId))) {
    const wc = await getWorkCenter(tx, id);
    centers.set(id, { id: wc.id, code: wc.code, name: wc.name });
  }
  return rows.map(({ workCenterId, ...r }) => ({ ...r, workCenter: centers.get(workCenterId)! }));
}

export async function getDevice(tx: Tx, id: string): Promise<Device> {
  const { rows } = await tx.query<DeviceRow>(sql`SELECT ${raw(COLUMNS)} FROM devices d WHERE d.id = ${id}`);
  if (!rows[0]) throw new NotFound(`device ${id} not found`, { code: 'error.identity.device.notFound' });
  return (await withWorkCenters(tx, rows))[0]!;
}

const DEVICES: Listing<DeviceRow> = {
  name: 'identity.devices',
  sorts: { code: [{ sql: 'd.code', type: 'text', of: 'code' }] },
  defaultSort: 'code',
  id: { sql: 'd.id', type: 'uuid', of: 'id' },
};
export const DEVICE_SORTS = Object.keys(DEVICES.sorts);

export async function listDevices(
  tx: Tx,
  query: PageRequest & { active?: boolean | undefined; workCenterId?: string | undefined },
): Promise<Page<Device>> {
  const k = keyset(DEVICES, query);
  const { rows } = await tx.query<DeviceRow>(sql`SELECT ${raw(COLUMNS)} FROM devices d
    WHERE (${query.active ?? null}::boolean IS NULL OR d.active = ${query.active ?? null})
      AND (${query.workCenterId ?? null}::uuid IS NULL OR d.work_center_id = ${query.workCenterId ?? null})
      AND ${k.where} ${k.orderBy} ${k.limit}`);
  const page = toPage(k, rows);
  return { ...page, items: await withWorkCenters(tx, page.items) };
}

const personOf = (ctx: TenantContext): string => {
  if (ctx.actor.kind !== 'user')
    throw new Forbidden('only a person registers or deactivates devices', { code: 'error.identity.device.byPerson' });
  return ctx.actor.id;
};

/** Registers a device at an active work center; its code is unique in the tenant and never reused. */
export async function registerDevice(tx: Tx, ctx: TenantContext, input: NewDevice): Promise<Device> {
  const by = personOf(ctx);
  const errors: FieldError[] = [];
  const center = await getWorkCenter(tx, input.workCenterId).catch((e: unknown) => {
    if (e instanceof NotFound) return undefined;
    throw e;
  });
  if (!center) errors.push({ pointer: '/body/workCenterId', message: 'no such work center', code: 'error.masterdata.workCenter.notFound' });
  else if (!center.active) {
    errors.push({ pointer: '/body/workCenterId', message: `${center.code} is inactive`, code: 'error.identity.device.workCenterInactive' });
  }
  const taken = await tx.query(sql`SELECT 1 FROM devices WHERE code = ${input.code}`);
  if (taken.rowCount) {
    errors.push({ pointer: '/body/code', message: `${input.code} is already registered`, code: 'error.identity.device.codeTaken' });
  }
  if (errors.length) throw invalidFields('the device cannot be registered', errors, 'error.identity.device.invalid');
  const id = uuidv7();
  await tx.query(sql`INSERT INTO devices (id, code, name, kind, work_center_id, created_by)
    VALUES (${id}, ${input.code}, ${input.name.trim()}, ${input.kind satisfies DeviceKind}, ${input.workCenterId}, ${by})`);
  return getDevice(tx, id);
}

/** Deactivates a device for good: every token bound to it is refused from the next request. */
export async function deactivateDevice(tx: Tx, ctx: TenantContext, id: string, reason: string): Promise<Device> {
  const by = personOf(ctx);
  const device = await getDevice(tx, id);
  if (!device.active) {
    throw new Conflict(`device ${device.code} is already deactivated`, {
      code: 'error.identity.device.alreadyDeactivated',
      params: { device: device.code },
    });
  }
  await tx.query(sql`UPDATE devices SET active = false, deactivated_reason = ${reason.trim()}, deactivated_at = now(),
      deactivated_by = ${by}, version = version + 1 WHERE id = ${id}`);
  return getDevice(tx, id);
}

/** The device a token is bound to, as the request guard carries it. */
export async function deviceBinding(tx: Tx, id: string): Promise<DeviceBinding> {
  const { rows } = await tx.query<DeviceBinding>(
    sql`SELECT id, code, work_center_id AS "workCenterId", active FROM devices WHERE id = ${id}`,
  );
  if (!rows[0]) throw new NotFound(`device ${id} not found`, { code: 'error.identity.device.notFound' });
  return rows[0];
}

/** Code and name of devices by id, for the records that name the device that sent them. */
export async function deviceNames(tx: Tx, ids: readonly string[]): Promise<Map<string, { id: string; code: string; name: string }>> {
  if (!ids.length) return new Map();
  const { rows } = await tx.query<{ id: string; code: string; name: string }>(
    sql`SELECT id, code, name FROM devices WHERE id = ANY(${[...new Set(ids)]}::uuid[])`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}
