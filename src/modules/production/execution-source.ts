import type { Tx } from '../../platform/db/index.js';
import { Forbidden } from '../../platform/errors.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { deviceNames } from '../identity/index.js';
import { getWorkCenter } from '../masterdata/index.js';
import type { ExecutionSource } from './contract.js';

/**
 * Device checks on execution data from machines (21 CFR 11.10(h)): an API token records
 * execution only when it is bound to a registered device (identity refuses a deactivated one
 * before any route runs), and only at the work center that device is bound to. People on the web
 * and the system's own jobs record as before, with no device.
 */

/** Where a record comes from: the client kind of the caller and, for a machine, its device. */
export function executionSource(ctx: TenantContext): { source: ExecutionSource; deviceId: string | null } {
  const source = ctx.actor.kind === 'token' ? 'api' : ctx.actor.kind === 'system' ? 'system' : 'web';
  return { source, deviceId: source === 'api' ? (ctx.device?.id ?? null) : null };
}

const refuse = (detail: string, code: string, params: Record<string, string> = {}) => new Forbidden(detail, { code, params });

/** Refuses a machine's record unless its token's device is bound to one of these work centers. */
export async function checkDevice(tx: Tx, ctx: TenantContext, workCenterIds: readonly string[]): Promise<void> {
  if (ctx.actor.kind !== 'token') return;
  const device = ctx.device;
  if (!device) {
    throw refuse('this API token is not bound to a registered device: it cannot record execution data', 'error.production.device.required');
  }
  if (workCenterIds.includes(device.workCenterId)) return;
  const name = (await deviceNames(tx, [device.id])).get(device.id);
  const bound = await getWorkCenter(tx, device.workCenterId);
  const here = workCenterIds[0] ? (await getWorkCenter(tx, workCenterIds[0])).code : '';
  throw refuse(
    `device ${name?.code ?? device.id} is bound to work center ${bound.code}: it cannot record at ${here || 'this work order'}`,
    'error.production.device.wrongWorkCenter',
    { device: name?.code ?? device.id, bound: bound.code, workCenter: here },
  );
}

type DeviceRef = { id: string; code: string; name: string } | null;

/** The records with the code and name of the device that sent each, read through identity's face in one look-up. */
export async function withDevices<T extends { deviceId: string | null }>(
  tx: Tx,
  rows: readonly T[],
): Promise<(T & { device: DeviceRef })[]> {
  const names = await deviceNames(
    tx,
    rows.flatMap((r) => (r.deviceId ? [r.deviceId] : [])),
  );
  return rows.map((r) => ({ ...r, device: (r.deviceId && names.get(r.deviceId)) || null }));
}
