import { type Static, Type } from 'typebox';
import { sql, type Tx } from '../../platform/db/index.js';
import { ValidationFailed } from '../../platform/errors.js';
import type { IdentityEnv } from './context.js';
import { expandGrants, requiresTotp, STANDARD_ROLES } from './permissions.js';

export const Role = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  description: Type.String(),
  grants: Type.Array(Type.String(), { description: 'permission patterns, * matches any text' }),
  permissions: Type.Array(Type.String(), { description: 'the catalog permissions the grants cover today' }),
  requiresTotp: Type.Boolean(),
});
export type Role = Static<typeof Role>;

export const RoleAssignment = Type.Object(
  {
    roleId: Type.String({ format: 'uuid' }),
    siteId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'null: every site' }),
  },
  { additionalProperties: false },
);
export type RoleAssignment = Static<typeof RoleAssignment>;

/**
 * Installs the standard roles in the current tenant, or brings them up to the definitions in
 * code (roles are not edited through the API, so the code is their source; the audit trail
 * records any change).
 */
export async function installStandardRoles(tx: Tx): Promise<void> {
  for (const r of STANDARD_ROLES) {
    await tx.query(
      sql`INSERT INTO roles (name, description, grants, requires_totp) VALUES (${r.name}, ${r.description}, ${r.grants}, ${r.requiresTotp ?? false})
       ON CONFLICT (tenant_id, name) DO UPDATE
         SET description = EXCLUDED.description, grants = EXCLUDED.grants, requires_totp = EXCLUDED.requires_totp`,
    );
  }
}

interface RoleRow {
  id: string;
  name: string;
  description: string;
  grants: string[];
  requiresTotp: boolean;
}

function resolveRole(row: RoleRow, env: Pick<IdentityEnv, 'catalog'>): Role {
  const permissions = expandGrants(row.grants, env.catalog);
  return { ...row, permissions, requiresTotp: requiresTotp(permissions, row.requiresTotp) };
}

export async function listRoles(tx: Tx, env: Pick<IdentityEnv, 'catalog'>): Promise<Role[]> {
  const { rows } = await tx.query<RoleRow>(
    sql`SELECT id, name, description, grants, requires_totp AS "requiresTotp" FROM roles ORDER BY name`,
  );
  return rows.map((r) => resolveRole(r, env));
}

export async function roleIdByName(tx: Tx, name: string): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(sql`SELECT id FROM roles WHERE name = ${name}`);
  if (!rows[0])
    throw new ValidationFailed(`no role named ${name}`, [{ pointer: '/roles', message: `unknown role ${name}` }], {
      code: 'error.identity.unknownRole',
      params: { name },
    });
  return rows[0].id;
}

export interface Grants {
  permissions: string[];
  /** Some role the user holds (on any site) signs or administers. */
  requiresTotp: boolean;
}

/**
 * What a user may do on a request for `siteId`: roles assigned for every site, plus roles
 * assigned for that site. TOTP is required if any assigned role, on any site, needs it.
 */
export async function userGrants(tx: Tx, env: Pick<IdentityEnv, 'catalog'>, userId: string, siteId: string | undefined): Promise<Grants> {
  const { rows } = await tx.query<RoleRow & { siteId: string | null }>(
    sql`SELECT r.id, r.name, r.description, r.grants, r.requires_totp AS "requiresTotp", ur.site_id AS "siteId"
       FROM user_roles ur JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
      WHERE ur.user_id = ${userId}`,
  );
  const permissions = new Set<string>();
  let totp = false;
  for (const row of rows) {
    const role = resolveRole(row, env);
    totp ||= role.requiresTotp;
    if (row.siteId === null || row.siteId === siteId) for (const p of role.permissions) permissions.add(p);
  }
  return { permissions: [...permissions].sort(), requiresTotp: totp };
}

export async function userAssignments(tx: Tx, userId: string): Promise<Array<RoleAssignment & { roleName: string }>> {
  const { rows } = await tx.query<RoleAssignment & { roleName: string }>(
    sql`SELECT ur.role_id AS "roleId", ur.site_id AS "siteId", r.name AS "roleName"
       FROM user_roles ur JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
      WHERE ur.user_id = ${userId} ORDER BY r.name, ur.site_id NULLS FIRST`,
  );
  return rows;
}
