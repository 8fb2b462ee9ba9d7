import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { inTenant, tenantOf } from '../../platform/http/app.js';
import { Page, PageQuery } from '../../platform/paging.js';
import type { IdentityEnv } from './context.js';
import { GRANT_DECISIONS, P } from './contract.js';
import { DEVICE_SORTS, DeactivateDevice, Device, deactivateDevice, getDevice, listDevices, NewDevice, registerDevice } from './devices.js';
import { changeSecurityPolicy, getSecurityPolicy, SecurityPolicy } from './passwords.js';
import { listRoles, Role, RoleAssignment } from './roles.js';
import { ApiToken, createApiToken, listApiTokens, revokeApiToken } from './tokens.js';
import {
  createUser,
  deactivateUser,
  decideRoleGrant,
  getUser,
  Language,
  Login,
  listUsers,
  resetPassword,
  setUserRoles,
  USERS,
  User,
  updateUser,
} from './users.js';

const strict = { additionalProperties: false } as const;
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const FullName = Type.String({ minLength: 1, maxLength: 200 });
const Email = Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]);
const OneTimePassword = Type.Object({ oneTimePassword: Type.String({ description: 'shown once; must be changed at first login' }) });

export function adminRoutes(app: FastifyInstance, env: IdentityEnv): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/users',
    {
      config: { permission: P.read },
      schema: {
        tags: ['users'],
        summary: 'Users',
        querystring: PageQuery(Object.keys(USERS.sorts), {
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'search text' })),
        }),
        response: { 200: Page(User) },
      },
    },
    async (request) => inTenant(request, (tx) => listUsers(tx, request.query)),
  );

  api.post(
    '/users',
    {
      config: { permission: P.users },
      schema: {
        tags: ['users'],
        summary: 'Create a user; returns a one-time password to hand over, changed at first login',
        body: Type.Object(
          {
            login: Login,
            fullName: FullName,
            email: Type.Optional(Email),
            language: Type.Optional(Language),
            roles: Type.Optional(Type.Array(RoleAssignment, { maxItems: 50 })),
          },
          strict,
        ),
        response: { 201: Type.Object({ user: User, oneTimePassword: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { user, oneTimePassword } = await inTenant(request, (tx) => createUser(tx, env, request.body, { ctx: tenantOf(request), env }));
      return reply.status(201).send({ user, oneTimePassword: oneTimePassword as string });
    },
  );

  api.get(
    '/users/:id',
    { config: { permission: P.read }, schema: { tags: ['users'], summary: 'A user', params: IdParams, response: { 200: User } } },
    async (request) => inTenant(request, (tx) => getUser(tx, request.params.id)),
  );

  api.patch(
    '/users/:id',
    {
      config: { permission: P.users },
      schema: {
        tags: ['users'],
        summary: 'Change name, e-mail or language (the login never changes)',
        params: IdParams,
        body: Type.Object({ fullName: Type.Optional(FullName), email: Type.Optional(Email), language: Type.Optional(Language) }, strict),
        response: { 200: User },
      },
    },
    async (request) => inTenant(request, (tx) => updateUser(tx, request.params.id, request.body)),
  );

  api.post(
    '/users/:id/deactivate',
    {
      config: { permission: P.users },
      schema: {
        tags: ['users'],
        summary: 'Deactivate a user: sessions and tokens end at once; the login is never reused',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, strict),
        response: { 200: User },
      },
    },
    async (request) => inTenant(request, (tx) => deactivateUser(tx, env, tenantOf(request), request.params.id, request.body.reason)),
  );

  api.post(
    '/users/:id/reset-password',
    {
      config: { permission: P.users },
      schema: {
        tags: ['users'],
        summary: 'Reset a password: a one-time password, shown once, changed at next login',
        params: IdParams,
        response: { 200: OneTimePassword },
      },
    },
    async (request) => inTenant(request, (tx) => resetPassword(tx, env, request.params.id)),
  );

  api.put(
    '/users/:id/roles',
    {
      config: { permission: P.users },
      schema: {
        tags: ['users'],
        summary: 'Replace the role assignments of another user',
        description:
          'Nobody changes their own roles (403 error.identity.ownRoles). Adding a role that signs needs the reason in ' +
          'X-Change-Reason; when the security policy asks for a second administrator, that role is requested instead of granted.',
        params: IdParams,
        body: Type.Array(RoleAssignment, { maxItems: 50 }),
        response: { 200: User },
      },
    },
    async (request) => inTenant(request, (tx) => setUserRoles(tx, request.params.id, request.body, { ctx: tenantOf(request), env })),
  );

  api.post(
    '/role-grant-requests/:id/:decision',
    {
      config: { permission: P.users },
      schema: {
        tags: ['users'],
        summary: 'A second administrator approves or rejects a requested role that signs',
        description: 'Neither the administrator who asked nor the person concerned may decide (403 error.identity.secondAdministrator).',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), decision: Type.Union(GRANT_DECISIONS.map((d) => Type.Literal(d))) }),
        body: Type.Object({ note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) }, strict),
        response: { 200: User },
      },
    },
    async (request) =>
      inTenant(request, (tx) => decideRoleGrant(tx, env, tenantOf(request), request.params.id, request.params.decision, request.body.note)),
  );

  api.get(
    '/roles',
    {
      config: { permission: P.read },
      schema: {
        tags: ['users'],
        summary: 'Roles and the permissions they grant today',
        response: { 200: Type.Object({ items: Type.Array(Role), nextCursor: Type.Null() }) },
      },
    },
    async (request) => ({ items: await inTenant(request, (tx) => listRoles(tx, env)), nextCursor: null }),
  );

  api.get(
    '/permissions',
    {
      config: { permission: P.read },
      schema: {
        tags: ['users'],
        summary: 'The permission catalog',
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ name: Type.String(), description: Type.String() })) }) },
      },
    },
    async () => ({ items: env.catalog.map(({ name, description }) => ({ name, description })) }),
  );

  const TokenPage = Page(ApiToken);
  const TokenQuery = PageQuery([]);

  api.get(
    '/me/api-tokens',
    {
      config: { permission: P.self },
      schema: {
        tags: ['api-tokens'],
        summary: 'My API tokens (never their secrets)',
        querystring: TokenQuery,
        response: { 200: TokenPage },
      },
    },
    async (request) => inTenant(request, (tx) => listApiTokens(tx, { ...request.query, ownerId: tenantOf(request).actor.id })),
  );

  api.get(
    '/api-tokens',
    {
      config: { permission: P.read },
      schema: {
        tags: ['api-tokens'],
        summary: 'Every API token of the tenant (never their secrets)',
        querystring: TokenQuery,
        response: { 200: TokenPage },
      },
    },
    async (request) => inTenant(request, (tx) => listApiTokens(tx, request.query)),
  );

  api.post(
    '/api-tokens',
    {
      config: { permission: P.self },
      schema: {
        tags: ['api-tokens'],
        summary: 'Issue myself an API token; the token is shown only in this response',
        description:
          'A token is only ever issued to the person asking, with scopes they hold themselves: nobody mints credentials for ' +
          'someone else. A machine gets its own service user, who signs in and issues its token.',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            scopes: Type.Array(Type.String({ minLength: 3, maxLength: 100 }), { minItems: 1, maxItems: 200 }),
            siteId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
            deviceId: Type.Optional(
              Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
                description: 'the registered device the token speaks for; only such a token records execution data',
              }),
            ),
            expiresInDays: Type.Integer({ minimum: 1, maximum: 730 }),
          },
          strict,
        ),
        response: { 201: Type.Object({ token: Type.String(), apiToken: ApiToken }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await inTenant(request, (tx) => createApiToken(tx, env, tenantOf(request), request.body))),
  );

  api.post(
    '/api-tokens/:id/revoke',
    {
      config: { permission: P.self },
      schema: {
        tags: ['api-tokens'],
        summary: "Revoke an API token at once: my own, or anyone's with admin:tokens",
        params: IdParams,
        response: { 200: ApiToken },
      },
    },
    async (request) => inTenant(request, (tx) => revokeApiToken(tx, env, tenantOf(request), request.params.id)),
  );

  api.get(
    '/devices',
    {
      // Every person sees the registered devices: whoever mints a machine's token binds it to one.
      config: { permission: P.self },
      schema: {
        tags: ['devices'],
        summary: 'Registered devices (test stations, line controllers, tablets) and the work center each records at',
        querystring: PageQuery(DEVICE_SORTS, {
          active: Type.Optional(Type.Boolean()),
          workCenterId: Type.Optional(Type.String({ format: 'uuid' })),
        }),
        response: { 200: Page(Device) },
      },
    },
    async (request) => inTenant(request, (tx) => listDevices(tx, request.query)),
  );

  api.get(
    '/devices/:id',
    {
      config: { permission: P.self },
      schema: { tags: ['devices'], summary: 'One registered device', params: IdParams, response: { 200: Device } },
    },
    async (request) => inTenant(request, (tx) => getDevice(tx, request.params.id)),
  );

  api.post(
    '/devices',
    {
      config: { permission: P.devices },
      schema: {
        tags: ['devices'],
        summary: 'Register a device bound to a work center',
        body: NewDevice,
        response: { 201: Device },
      },
    },
    async (request, reply) => reply.status(201).send(await inTenant(request, (tx) => registerDevice(tx, tenantOf(request), request.body))),
  );

  api.post(
    '/devices/:id/deactivate',
    {
      config: { permission: P.devices },
      schema: {
        tags: ['devices'],
        summary: 'Deactivate a device for good: its tokens are refused from the next request',
        params: IdParams,
        body: DeactivateDevice,
        response: { 200: Device },
      },
    },
    async (request) => inTenant(request, (tx) => deactivateDevice(tx, tenantOf(request), request.params.id, request.body.reason)),
  );

  api.get(
    '/password-policy',
    {
      config: { permission: P.read },
      schema: { tags: ['users'], summary: 'Password, lockout and session policy', response: { 200: SecurityPolicy } },
    },
    async (request) => inTenant(request, (tx) => getSecurityPolicy(tx)),
  );

  api.put(
    '/password-policy',
    {
      config: { permission: P.policy },
      schema: {
        tags: ['users'],
        summary: 'Change the password, lockout and session policy',
        body: SecurityPolicy,
        response: { 200: SecurityPolicy },
      },
    },
    async (request) => inTenant(request, (tx) => changeSecurityPolicy(tx, request.body)),
  );
}
