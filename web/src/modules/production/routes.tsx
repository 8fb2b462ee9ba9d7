import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { P } from '../../app/permissions';
import { requires, under } from '../../app/routes';

const WorkOrdersPage = lazyRouteComponent(() => import('./WorkOrdersPage'), 'WorkOrdersPage');
const WorkOrderPage = lazyRouteComponent(() => import('./WorkOrderPage'), 'WorkOrderPage');
const MaterialPage = lazyRouteComponent(() => import('./MaterialPage'), 'MaterialPage');
const OperationQueuePage = lazyRouteComponent(() => import('./OperationQueuePage'), 'OperationQueuePage');
const OperationPage = lazyRouteComponent(() => import('./OperationPage'), 'OperationPage');

/** The production screens, under the signed-in app; lazily loaded on first visit. */
export const productionRoutes = [
  createRoute({ ...under, path: '/production/work-orders', component: requires(P.productionRead, WorkOrdersPage) }),
  createRoute({ ...under, path: '/production/work-orders/$workOrderId', component: requires(P.productionRead, WorkOrderPage) }),
  createRoute({
    ...under,
    path: '/production/work-orders/$workOrderId/material',
    component: requires(P.productionIssue, MaterialPage),
  }),
  createRoute({ ...under, path: '/production/operations', component: requires(P.productionExecute, OperationQueuePage) }),
  createRoute({
    ...under,
    path: '/production/work-orders/$workOrderId/operations/$sequence',
    component: requires(P.productionExecute, OperationPage),
  }),
] as const;
