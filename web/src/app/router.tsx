import { Alert, Button, Loader, Stack, Text } from '@mantine/core';
import type { QueryClient } from '@tanstack/react-query';
import { createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../components/AnchorLink';
import { problemMessage } from '../i18n';
import { deviationsRoutes } from '../modules/deviations/routes';
import { inventoryRoutes } from '../modules/inventory/routes';
import { masterdataRoutes } from '../modules/masterdata/routes';
import { nonconformanceRoutes } from '../modules/nonconformance/routes';
import { productionRoutes } from '../modules/production/routes';
import { purchasingRoutes } from '../modules/purchasing/routes';
import { qualityRoutes } from '../modules/quality/routes';
import { recallRoutes } from '../modules/recall/routes';
import { salesRoutes } from '../modules/sales/routes';
import { trainingRoutes } from '../modules/training/routes';
import { P } from './permissions';
import { appRoute, loginRoute, requires, rootRoute, under } from './routes';

/** Module screens load on first visit, so a tablet downloads only the shell and what it opens. */
const DashboardPage = lazyRouteComponent(() => import('../dashboard/DashboardPage'), 'DashboardPage');
const AuditPage = lazyRouteComponent(() => import('../modules/audit/AuditPage'), 'AuditPage');
const DocumentPage = lazyRouteComponent(() => import('../modules/documents/DocumentPage'), 'DocumentPage');
const DocumentsPage = lazyRouteComponent(() => import('../modules/documents/DocumentsPage'), 'DocumentsPage');
const AccountPage = lazyRouteComponent(() => import('../modules/identity/AccountPage'), 'AccountPage');
const ApiTokensPage = lazyRouteComponent(() => import('../modules/identity/ApiTokensPage'), 'ApiTokensPage');
const DevicesPage = lazyRouteComponent(() => import('../modules/identity/DevicesPage'), 'DevicesPage');
const RolesPage = lazyRouteComponent(() => import('../modules/identity/RolesPage'), 'RolesPage');
const UserPage = lazyRouteComponent(() => import('../modules/identity/UserPage'), 'UserPage');
const UsersPage = lazyRouteComponent(() => import('../modules/identity/UsersPage'), 'UsersPage');
const WebhookPage = lazyRouteComponent(() => import('../modules/integration/WebhookPage'), 'WebhookPage');
const WebhooksPage = lazyRouteComponent(() => import('../modules/integration/WebhooksPage'), 'WebhooksPage');

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    createRoute({ ...under, path: '/', component: DashboardPage }),
    createRoute({ ...under, path: '/account', component: AccountPage }),
    createRoute({ ...under, path: '/admin/users', component: requires(P.identityRead, UsersPage) }),
    createRoute({ ...under, path: '/admin/users/$userId', component: requires(P.identityRead, UserPage) }),
    createRoute({ ...under, path: '/admin/roles', component: requires(P.identityRead, RolesPage) }),
    createRoute({ ...under, path: '/admin/api-tokens', component: requires(P.identityRead, ApiTokensPage) }),
    createRoute({ ...under, path: '/admin/devices', component: requires(P.identityRead, DevicesPage) }),
    createRoute({ ...under, path: '/admin/webhooks', component: requires(P.webhooks, WebhooksPage) }),
    createRoute({ ...under, path: '/admin/webhooks/$webhookId', component: requires(P.webhooks, WebhookPage) }),
    createRoute({ ...under, path: '/audit', component: requires(P.auditRead, AuditPage) }),
    createRoute({ ...under, path: '/documents', component: requires(P.documentsRead, DocumentsPage) }),
    createRoute({ ...under, path: '/documents/$documentId', component: requires(P.documentsRead, DocumentPage) }),
    ...masterdataRoutes,
    ...inventoryRoutes,
    ...purchasingRoutes,
    ...salesRoutes,
    ...productionRoutes,
    ...qualityRoutes,
    ...nonconformanceRoutes,
    ...deviationsRoutes,
    ...recallRoutes,
    ...trainingRoutes,
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
