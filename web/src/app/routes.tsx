import { Alert, Center, Loader } from '@mantine/core';
import { type QueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, redirect } from '@tanstack/react-router';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { LoginPage } from '../auth/LoginPage';
import { can, meQuery, type SessionState } from '../auth/session';
import { Shell } from './AppShell';

/**
 * The roots of the route tree: sign-in, and the signed-in app that every module's routes hang
 * under (`under`). Module folders declare their own routes in `routes.tsx`; `router.tsx` joins them.
 */
interface RouterContext {
  queryClient: QueryClient;
}

export const rootRoute = createRootRouteWithContext<RouterContext>()();

interface LoginSearch {
  redirect?: string;
  step?: SessionState;
  expired?: boolean;
}

const STEPS: SessionState[] = ['password_change_required', 'totp_required', 'totp_enrollment_required'];

export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (s: Record<string, unknown>): LoginSearch => ({
    ...(typeof s.redirect === 'string' ? { redirect: s.redirect } : {}),
    ...(STEPS.includes(s.step as SessionState) ? { step: s.step as SessionState } : {}),
    ...(s.expired === true || s.expired === 'true' ? { expired: true } : {}),
  }),
  component: LoginPage,
});

/** Everything behind sign-in: no session (or one still owing a step) goes to /login and comes back. */
export const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    try {
      const me = await context.queryClient.ensureQueryData(meQuery);
      if (me.state !== 'active') throw redirect({ to: '/login', search: { redirect: location.href, step: me.state } });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw redirect({ to: '/login', search: { redirect: location.href } });
      throw err;
    }
  },
  component: Shell,
  pendingComponent: () => (
    <Center h="100vh">
      <Loader />
    </Center>
  ),
});

function NoAccess() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={t('shell.noAccessTitle')}>
      {t('shell.noAccess')}
    </Alert>
  );
}

/** A page for holders of `permission`; others see why it is closed to them. */
export function requires(permission: string, Page: ComponentType) {
  return function Guarded() {
    const { data: me } = useSuspenseQuery(meQuery);
    return can(me, permission) ? <Page /> : <NoAccess />;
  };
}

/** Spread into `createRoute` of a signed-in page. */
export const under = { getParentRoute: () => appRoute } as const;
