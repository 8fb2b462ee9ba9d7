import { sql, type Tx } from '../../platform/db/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { getUser, listUsers, type User } from '../identity/index.js';
import { getWorkCenter } from '../masterdata/index.js';

export interface Person {
  id: string;
  name: string;
  roles: string[];
  workCenterIds: string[];
}

/** Every active person of the tenant with their role names and work centers. */
export async function activePeople(tx: Tx): Promise<Person[]> {
  const users: User[] = [];
  let cursor: string | undefined;
  do {
    const page = await listUsers(tx, { limit: 200, cursor });
    users.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const { rows } = await tx.query<{ userId: string; workCenterId: string }>(
    sql`SELECT user_id AS "userId", work_center_id AS "workCenterId" FROM training_work_center_members`,
  );
  return users
    .filter((u) => u.active)
    .map((u) => ({
      id: u.id,
      name: u.fullName,
      roles: [...new Set(u.roles.map((r) => r.roleName))],
      workCenterIds: rows.filter((r) => r.userId === u.id).map((r) => r.workCenterId),
    }));
}

/** Assigns a person to a work center (idempotent): the work center's training requirements then concern them. */
export async function assignToWorkCenter(tx: Tx, ctx: TenantContext, userId: string, workCenterId: string): Promise<void> {
  await getUser(tx, userId);
  await getWorkCenter(tx, workCenterId);
  await tx.query(
    sql`INSERT INTO training_work_center_members (user_id, work_center_id, assigned_by) VALUES (${userId}, ${workCenterId}, ${ctx.actor.name})
        ON CONFLICT DO NOTHING`,
  );
}

export async function removeFromWorkCenter(tx: Tx, userId: string, workCenterId: string): Promise<void> {
  await tx.query(sql`DELETE FROM training_work_center_members WHERE user_id = ${userId} AND work_center_id = ${workCenterId}`);
}
