// Identity and access: users, roles and permissions, sessions with TOTP, API tokens, the
// password and session policy, and the security event log. It installs the request guard and
// the signer verifier the platform calls; no other module reads its tables.
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { secretBox } from '../../platform/crypto.js';
import type { Module, ModuleDeps } from '../../platform/module.js';
import { adminRoutes } from './admin-routes.js';
import { authRoutes } from './auth-routes.js';
import { identityCommands } from './cli.js';
import { type Clock, type IdentityEnv, systemClock } from './context.js';
import { IDENTITY_PERMISSIONS, IDENTITY_VOCABULARY, P } from './contract.js';
import { createGuard } from './guard.js';
import { IDENTITY_RECORD_NAMES } from './record-names.js';
import { installStandardRoles, roleIdByName } from './roles.js';
import { createSignerVerifier } from './signing.js';
import { createUser } from './users.js';

/** Devices that send execution data: their code and name, for the records that store which one sent them. */
export { deviceNames } from './devices.js';
/** Who works here and in which roles: what training reads to find the people a document concerns. */
export { getUser, listUsers, type User } from './users.js';

export interface IdentityOptions {
  /** Tests pass a clock they move forward instead of sleeping. */
  clock?: Clock;
}

/** People seeded in the demo tenant, each with a one-time password printed at first start. */
const DEMO_PEOPLE = [
  { login: 'admin', fullName: 'Demo Administrator', role: 'Administrator' },
  { login: 'qa.manager', fullName: 'Li Wei', role: 'QA Manager' },
  // A second QA person: a device history record is reviewed and released by two different people.
  { login: 'qa.reviewer', fullName: 'Huang Min', role: 'QA Manager' },
  { login: 'qa.inspector', fullName: 'Liu Yang', role: 'QA Inspector' },
  { login: 'engineer', fullName: 'Sun Hao', role: 'Engineer' },
  { login: 'buyer', fullName: 'Chen Jing', role: 'Buyer' },
  { login: 'warehouse', fullName: 'Wang Qiang', role: 'Warehouse' },
  { login: 'sales', fullName: 'Zhao Lei', role: 'Sales' },
  { login: 'planner', fullName: 'Zhou Ping', role: 'Production Planner' },
  { login: 'operator', fullName: 'Zhang Min', role: 'Operator' },
] as const;

export function identityModule(opts: IdentityOptions = {}): Module {
  const clock = opts.clock ?? systemClock;
  const envOf = (deps: ModuleDeps): IdentityEnv => ({ catalog: deps.permissions, box: secretBox(deps.config), clock });
  return {
    name: 'identity',
    commands: identityCommands,
    recordNames: IDENTITY_RECORD_NAMES,
    auditedTables: {
      users: P.read,
      roles: P.read,
      user_roles: P.read,
      security_policies: P.read,
      role_grant_requests: P.read,
      devices: P.read,
    },
    vocabulary: IDENTITY_VOCABULARY,
    permissions: IDENTITY_PERMISSIONS,
    async register(app, deps) {
      await app.register(cookie);
      await app.register(rateLimit, { global: false });
      const env = envOf(deps);
      app.guard = createGuard(deps.db, env);
      app.signerVerifier = createSignerVerifier(deps.db, env);
    },
    routes(api, deps) {
      const env = envOf(deps);
      authRoutes(api, env);
      adminRoutes(api, env);
    },
    async seedDemo(tx, seed) {
      await installStandardRoles(tx);
      for (const person of DEMO_PEOPLE) {
        const { oneTimePassword } = await createUser(
          tx,
          { clock },
          {
            login: person.login,
            fullName: person.fullName,
            roles: [{ roleId: await roleIdByName(tx, person.role), siteId: null }],
          },
        );
        seed.notes.push(`${person.role}: login "${person.login}", one-time password ${oneTimePassword} (change it at first login)`);
      }
    },
  };
}

export const identity = identityModule();
