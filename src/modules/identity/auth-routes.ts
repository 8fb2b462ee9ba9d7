import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { TooManyRequests } from '../../platform/errors.js';
import { inTenant, tenantOf } from '../../platform/http/app.js';
import { findTenant, TenantCode, withTenant } from '../../platform/tenancy/index.js';
import { type IdentityEnv, unwrap } from './context.js';
import { P } from './contract.js';
import { clientMeta, identityContext } from './guard.js';
import { attemptLogin, badCredentials, changeOwnPassword, confirmEnrollment, startEnrollment, verifySecondFactor } from './login.js';
import { burnPasswordCheck } from './passwords.js';
import {
  describeMe,
  getSession,
  type IssuedSession,
  listOwnSessions,
  logoutEverywhere,
  Me,
  revokeOwnSession,
  SESSION_COOKIE,
  SessionInfo,
  SessionStateSchema,
} from './sessions.js';
import { Language, setOwnLanguage } from './users.js';

const strict = { additionalProperties: false } as const;
const Secret = Type.String({ minLength: 1, maxLength: 256 });
const Code = Type.String({ minLength: 6, maxLength: 32, description: 'authenticator code or recovery code' });
const StateReply = Type.Object({ state: SessionStateSchema, csrfToken: Type.String() });

/** Sign-in attempts per client address and login (or session) and minute. */
const limited = (key: (request: FastifyRequest) => string) => ({
  max: 10,
  timeWindow: 60_000,
  hook: 'preHandler' as const,
  keyGenerator: (request: FastifyRequest) => `${request.ip}|${key(request)}`,
  errorResponseBuilder: (_request: FastifyRequest, ctx: { after: string }) =>
    new TooManyRequests(`too many attempts; try again in ${ctx.after}`, {
      code: 'error.identity.tooManyAttempts',
      params: { after: ctx.after },
    }),
});

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: IssuedSession): void {
  reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/' });
}

export function authRoutes(app: FastifyInstance, env: IdentityEnv): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const sessionOf = (request: FastifyRequest) => tenantOf(request).sessionId as string;

  api.post(
    '/auth/login',
    {
      config: {
        public: true,
        rateLimit: limited((r) => {
          const body = r.body as { tenant?: string; login?: string } | undefined;
          return `${body?.tenant ?? ''}/${body?.login?.toLowerCase() ?? ''}`;
        }),
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with tenant code, login and password',
        body: Type.Object({ tenant: TenantCode, login: Type.String({ minLength: 1, maxLength: 64 }), password: Secret }, strict),
        response: { 200: Type.Object({ state: SessionStateSchema, csrfToken: Type.String(), user: Type.Optional(Me) }) },
      },
    },
    async (request, reply) => {
      const { tenant: code, login, password } = request.body;
      const tenant = await findTenant(request.server.db, code);
      if (!tenant) {
        await burnPasswordCheck(password);
        throw badCredentials();
      }
      const session = unwrap(
        await withTenant(request.server.db, identityContext(tenant.id, request.id), (tx) =>
          attemptLogin(tx, env, tenant.id, { login, password }, clientMeta(request)),
        ),
      );
      setSessionCookie(request, reply, session);
      const user =
        session.state === 'active'
          ? await withTenant(request.server.db, identityContext(tenant.id, request.id), (tx) =>
              describeMe(tx, env, { userId: session.userId, state: session.state, csrfToken: session.csrfToken }, undefined),
            )
          : undefined;
      return { state: session.state, csrfToken: session.csrfToken, ...(user ? { user } : {}) };
    },
  );

  api.post(
    '/auth/totp/verify',
    {
      config: { permission: P.session, rateLimit: limited((r) => r.cookies[SESSION_COOKIE] ?? '') },
      schema: {
        tags: ['auth'],
        summary: 'Second factor: authenticator or recovery code',
        body: Type.Object({ code: Code }, strict),
        response: { 200: StateReply },
      },
    },
    async (request, reply) => {
      const ctx = tenantOf(request);
      const session = unwrap(
        await inTenant(request, async (tx) =>
          verifySecondFactor(tx, env, ctx.tenantId, await getSession(tx, sessionOf(request)), request.body.code, clientMeta(request)),
        ),
      );
      setSessionCookie(request, reply, session);
      return { state: session.state, csrfToken: session.csrfToken };
    },
  );

  api.post(
    '/auth/password',
    {
      config: { permission: P.session, rateLimit: limited((r) => r.cookies[SESSION_COOKIE] ?? '') },
      schema: {
        tags: ['auth'],
        summary: 'Change own password',
        body: Type.Object({ currentPassword: Secret, newPassword: Secret }, strict),
        response: { 200: StateReply },
      },
    },
    async (request, reply) => {
      const ctx = tenantOf(request);
      const session = unwrap(
        await inTenant(request, async (tx) =>
          changeOwnPassword(tx, env, ctx.tenantId, await getSession(tx, sessionOf(request)), request.body, clientMeta(request)),
        ),
      );
      setSessionCookie(request, reply, session);
      return { state: session.state, csrfToken: session.csrfToken };
    },
  );

  api.post(
    '/auth/totp/enroll',
    {
      config: { permission: P.session },
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment: a new secret as otpauth URI and QR code',
        response: { 200: Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrSvg: Type.String() }) },
      },
    },
    async (request) => inTenant(request, async (tx) => startEnrollment(tx, env, await getSession(tx, sessionOf(request)))),
  );

  api.post(
    '/auth/totp/confirm',
    {
      config: { permission: P.session },
      schema: {
        tags: ['auth'],
        summary: 'Confirm TOTP enrolment with a first code; returns ten single-use recovery codes once',
        body: Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) }, strict),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()), state: SessionStateSchema, csrfToken: Type.String() }) },
      },
    },
    async (request, reply) => {
      const ctx = tenantOf(request);
      const { recoveryCodes, session } = await inTenant(request, async (tx) =>
        confirmEnrollment(tx, env, ctx.tenantId, await getSession(tx, sessionOf(request)), request.body.code),
      );
      setSessionCookie(request, reply, session);
      return { recoveryCodes, state: session.state, csrfToken: session.csrfToken };
    },
  );

  api.get(
    '/auth/me',
    { config: { permission: P.session }, schema: { tags: ['auth'], summary: 'The signed-in person', response: { 200: Me } } },
    async (request) =>
      inTenant(request, async (tx) => describeMe(tx, env, await getSession(tx, sessionOf(request)), tenantOf(request).siteId)),
  );

  api.patch(
    '/auth/me',
    {
      config: { permission: P.self },
      schema: {
        tags: ['auth'],
        summary: 'Change own preferred language',
        body: Type.Object({ language: Language }, strict),
        response: { 200: Me },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        await setOwnLanguage(tx, tenantOf(request), request.body.language);
        return describeMe(tx, env, await getSession(tx, sessionOf(request)), tenantOf(request).siteId);
      }),
  );

  api.post(
    '/auth/logout',
    { config: { permission: P.session }, schema: { tags: ['auth'], summary: 'End this session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      await inTenant(request, (tx) => revokeOwnSession(tx, env, tenantOf(request), sessionOf(request), 'logged out'));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/auth/logout-all',
    {
      config: { permission: P.self },
      schema: { tags: ['auth'], summary: 'End every session of mine', response: { 200: Type.Object({ ended: Type.Integer() }) } },
    },
    async (request, reply) => {
      const ended = await inTenant(request, (tx) => logoutEverywhere(tx, env, tenantOf(request)));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ended };
    },
  );

  api.get(
    '/auth/sessions',
    {
      config: { permission: P.self },
      schema: {
        tags: ['auth'],
        summary: 'My open sessions',
        response: { 200: Type.Object({ items: Type.Array(SessionInfo), nextCursor: Type.Null() }) },
      },
    },
    async (request) => ({ items: await inTenant(request, (tx) => listOwnSessions(tx, env, tenantOf(request))), nextCursor: null }),
  );

  api.delete(
    '/auth/sessions/:id',
    {
      config: { permission: P.self },
      schema: {
        tags: ['auth'],
        summary: 'End one of my sessions',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await inTenant(request, (tx) => revokeOwnSession(tx, env, tenantOf(request), request.params.id, 'ended by its user'));
      return reply.status(204).send(null);
    },
  );
}
