import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import type { Database } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { permissionCatalog } from '../../server.js';
import { createUserAsOperator, deactivateUserAsOperator, listRolesAsOperator, resetPasswordAsOperator } from './operator.js';

let db: Database;
let t: TestTenant;

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
});
afterAll(() => db.close());

describe(`operator commands (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[A11.12.3] creates, resets and deactivates users from the command line, recorded as the OS operator', async () => {
    const { user, oneTimePassword } = await createUserAsOperator(db, t.tenant.code, {
      login: 'Wang.Fang',
      fullName: 'Wang Fang',
      roles: ['QA Inspector'],
      site: 'P1',
    });
    expect(user).toMatchObject({ login: 'wang.fang', mustChangePassword: true, roles: [{ roleName: 'QA Inspector', siteId: t.site.id }] });
    expect(oneTimePassword).toHaveLength(16);
    const reset = await resetPasswordAsOperator(db, t.tenant.code, 'wang.fang');
    expect(reset.oneTimePassword).not.toBe(oneTimePassword);
    expect((await deactivateUserAsOperator(db, t.tenant.code, 'wang.fang', 'left the company')).active).toBe(false);
    await expect(createUserAsOperator(db, t.tenant.code, { login: 'wang.fang', fullName: 'Another Wang', roles: [] })).rejects.toThrow(
      /never reused/,
    );

    const trail = await withTenant(
      db,
      t.ctx,
      async (tx) =>
        (
          await tx.query<{ action: string; actor_name: string; reason: string | null }>(
            "SELECT action, actor_name, reason FROM audit_event WHERE record_id = $1 AND entity IN ('users', 'security') ORDER BY id",
            [user.id],
          )
        ).rows,
    );
    expect(trail.every((e) => e.actor_name.startsWith('cli:'))).toBe(true);
    expect(trail.map((e) => e.action)).toEqual([
      'insert',
      'user.roles_changed',
      'update',
      'user.password_reset',
      'update',
      'user.deactivated',
    ]);
    expect(trail[4]?.reason).toBe('left the company');
  });

  it('lists the standard roles with what they grant from the live catalog', async () => {
    const roles = await listRolesAsOperator(db, t.tenant.code, permissionCatalog());
    expect(roles.map((r) => r.name)).toEqual([
      'Administrator',
      'Auditor',
      'Buyer',
      'Engineer',
      'MRB Engineer',
      'Operator',
      'Production Planner',
      'QA Inspector',
      'QA Manager',
      'Sales',
      'Warehouse',
    ]);
    await expect(listRolesAsOperator(db, 'no-such-tenant', permissionCatalog())).rejects.toThrow(/no tenant/);
  });
});
