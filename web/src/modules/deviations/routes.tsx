import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { P } from '../../app/permissions';
import { requires, under } from '../../app/routes';

const DeviationsPage = lazyRouteComponent(() => import('./DeviationsPage'), 'DeviationsPage');
const DeviationPage = lazyRouteComponent(() => import('./DeviationPage'), 'DeviationPage');

/** The deviation screens, under the signed-in app; lazily loaded on first visit. */
export const deviationsRoutes = [
  createRoute({ ...under, path: '/deviations', component: requires(P.deviationsRead, DeviationsPage) }),
  createRoute({ ...under, path: '/deviations/$deviationId', component: requires(P.deviationsRead, DeviationPage) }),
] as const;
