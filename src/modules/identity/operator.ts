import { userInfo } from 'node:os';
import { type Database, sql, type Tx } from '../../platform/db/index.js';
import { NotFound } from '../../platform/errors.js';
import type { PermissionDef } from '../../platform/module.js';
import { findTenant, listSites, type TenantContext, withTenant } from '../../platform/tenancy/index.js';
import { systemClock } from './context.js';
import { installStandardRoles, listRoles, type Role, roleIdByName } from './roles.js';
import { createUser, deactivateUser, resetPassword, type User } from './users.js';

/**
 * What the `mediforge user …` and `mediforge role …` commands do: the operator at the server
 * acts for a tenant as a system actor named after the OS account, so the audit trail shows who.
 */
async function asOperator<T>(db: Database, tenantCode: string, fn: (tx: Tx, ctx: TenantContext) => Promise<T>): Promise<T> {
  const tenant = await findTenant(db, tenantCode);
  if (!tenant) throw new NotFound(`no tenant with code ${tenantCode}`, { code: 'error.tenant.notFound' });
  const ctx: TenantContext = {
    tenantId: tenant.id,
    actor: { kind: 'system', id: 'cli', name: `cli:${userInfo().username}` },
    requestId: `cli:${process.pid}`,
  };
  return withTenant(db, ctx, async (tx) => {
    await installStandardRoles(tx);
    return fn(tx, ctx);
  });
}

async function userIdByLogin(tx: Tx, login: string): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(sql`SELECT id FROM users WHERE login = ${login.toLowerCase()}`);
  if (!rows[0]) throw new NotFound(`no user with login ${login}`, { code: 'error.identity.userNotFound' });
  return rows[0].id;
}

export interface OperatorNewUser {
  login: string;
  fullName: string;
  email?: string | undefined;
  language?: 'en' | 'zh-CN' | undefined;
  /** Role names; with `site` (a site code) the roles apply only there. */
  roles: string[];
  site?: string | undefined;
}

export function createUserAsOperator(
  db: Database,
  tenantCode: string,
  input: OperatorNewUser,
): Promise<{ user: User; oneTimePassword: string }> {
  return asOperator(db, tenantCode, async (tx) => {
    let siteId: string | null = null;
    if (input.site) {
      const site = (await listSites(tx)).find((s) => s.code === input.site);
      if (!site) throw new NotFound(`no site with code ${input.site}`, { code: 'error.site.notFound' });
      siteId = site.id;
    }
    const roles = [];
    for (const name of input.roles) roles.push({ roleId: await roleIdByName(tx, name), siteId });
    const { user, oneTimePassword } = await createUser(tx, { clock: systemClock }, { ...input, roles });
    return { user, oneTimePassword: oneTimePassword as string };
  });
}

export function resetPasswordAsOperator(db: Database, tenantCode: string, login: string): Promise<{ oneTimePassword: string }> {
  return asOperator(db, tenantCode, async (tx) => resetPassword(tx, { clock: systemClock }, await userIdByLogin(tx, login)));
}

export function deactivateUserAsOperator(db: Database, tenantCode: string, login: string, reason: string): Promise<User> {
  return asOperator(db, tenantCode, async (tx, ctx) =>
    deactivateUser(tx, { clock: systemClock }, ctx, await userIdByLogin(tx, login), reason),
  );
}

export function listRolesAsOperator(db: Database, tenantCode: string, catalog: readonly PermissionDef[]): Promise<Role[]> {
  return asOperator(db, tenantCode, (tx) => listRoles(tx, { catalog }));
}
