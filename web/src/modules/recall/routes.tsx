import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { P } from '../../app/permissions';
import { requires, under } from '../../app/routes';

const RecallsPage = lazyRouteComponent(() => import('./RecallsPage'), 'RecallsPage');
const RecallQueryPage = lazyRouteComponent(() => import('./RecallQueryPage'), 'RecallQueryPage');
const RecallPage = lazyRouteComponent(() => import('./RecallPage'), 'RecallPage');

/** The recall screens, under the signed-in app; lazily loaded on first visit. */
export const recallRoutes = [
  createRoute({ ...under, path: '/recalls', component: requires(P.recallRead, RecallsPage) }),
  createRoute({ ...under, path: '/recalls/query', component: requires(P.recallRead, RecallQueryPage) }),
  createRoute({ ...under, path: '/recalls/$recallId', component: requires(P.recallRead, RecallPage) }),
] as const;
