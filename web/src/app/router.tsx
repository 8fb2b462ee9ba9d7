import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { type QueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, redirect } from '@tanstack/react-router';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { LoginPage } from '../auth/LoginPage';
import { can, meQuery, type SessionState } from '../auth/session';
import { AnchorLink } from '../components/AnchorLink';
import { problemMessage } from '../i18n';
import { Shell } from './AppShell';
import { P } from './nav';

/** Module screens load on first visit, so a tablet downloads only the shell and what it opens. */
const DashboardPage = lazyRouteComponent(() => import('../dashboard/DashboardPage'), 'DashboardPage');
const AuditPage = lazyRouteComponent(() => import('../modules/audit/AuditPage'), 'AuditPage');
const DocumentPage = lazyRouteComponent(() => import('../modules/documents/DocumentPage'), 'DocumentPage');
const DocumentsPage = lazyRouteComponent(() => import('../modules/documents/DocumentsPage'), 'DocumentsPage');
const AccountPage = lazyRouteComponent(() => import('../modules/identity/AccountPage'), 'AccountPage');
const ApiTokensPage = lazyRouteComponent(() => import('../modules/identity/ApiTokensPage'), 'ApiTokensPage');
const RolesPage = lazyRouteComponent(() => import('../modules/identity/RolesPage'), 'RolesPage');
const UserPage = lazyRouteComponent(() => import('../modules/identity/UserPage'), 'UserPage');
const UsersPage = lazyRouteComponent(() => import('../modules/identity/UsersPage'), 'UsersPage');
const WebhookPage = lazyRouteComponent(() => import('../modules/integration/WebhookPage'), 'WebhookPage');
const WebhooksPage = lazyRouteComponent(() => import('../modules/integration/WebhooksPage'), 'WebhooksPage');

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()();

interface LoginSearch {
  redirect?: string;
  step?: SessionState;
  expired?: boolean;
}

const STEPS: SessionState[] = ['password_change_required', 'totp_required', 'totp_enrollment_required'];

const loginRoute = createRoute({
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
const appRoute = createRoute({
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
function requires(permission: string, Page: ComponentType) {
  return function Guarded() {
    const { data: me } = useSuspenseQuery(meQuery);
    return can(me, permission) ? <Page /> : <NoAccess />;
  };
}

const under = { getParentRoute: () => appRoute } as const;
const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    createRoute({ ...under, path: '/', component: DashboardPage }),
    createRoute({ ...under, path: '/account', component: AccountPage }),
    createRoute({ ...under, path: '/admin/users', component: requires(P.identityRead, UsersPage) }),
    createRoute({ ...under, path: '/admin/users/$userId', component: requires(P.identityRead, UserPage) }),
    createRoute({ ...under, path: '/admin/roles', component: requires(P.identityRead, RolesPage) }),
    createRoute({ ...under, path: '/admin/api-tokens', component: requires(P.identityRead, ApiTokensPage) }),
    createRoute({ ...under, path: '/admin/webhooks', component: requires(P.webhooks, WebhooksPage) }),
    createRoute({ ...under, path: '/admin/webhooks/$webhookId', component: requires(P.webhooks, WebhookPage) }),
    createRoute({ ...under, path: '/audit', component: requires(P.auditRead, AuditPage) }),
    createRoute({ ...under, path: '/documents', component: requires(P.documentsRead, DocumentsPage) }),
    createRoute({ ...under, path: '/documents/$documentId', component: requires(P.documentsRead, DocumentPage) }),
  ]),
]);

/** What a page that failed to load shows instead of a blank screen. */
function PageError({ error, reset }: { error: unknown; reset: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t('shell.pageFailed')} m="md">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{problemMessage(error)}</Text>
        <Button size="xs" variant="light" onClick={reset}>
          {t('shell.retry')}
        </Button>
      </Stack>
    </Alert>
  );
}

function PageNotFound() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={t('shell.notFoundTitle')} m="md">
      <AnchorLink to="/">{t('shell.backHome')}</AnchorLink>
    </Alert>
  );
}

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    scrollRestoration: true,
    defaultPendingComponent: () => <Loader m="md" />,
    defaultErrorComponent: PageError,
    defaultNotFoundComponent: PageNotFound,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
