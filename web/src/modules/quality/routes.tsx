import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { P } from '../../app/permissions';
import { requires, under } from '../../app/routes';

const InspectionsPage = lazyRouteComponent(() => import('./InspectionsPage'), 'InspectionsPage');
const InspectionPage = lazyRouteComponent(() => import('./InspectionPage'), 'InspectionPage');
const PlansPage = lazyRouteComponent(() => import('./PlansPage'), 'PlansPage');
const PlanPage = lazyRouteComponent(() => import('./PlanPage'), 'PlanPage');

/** The quality screens, under the signed-in app (see app/routes.tsx); lazily loaded on first visit. */
export const qualityRoutes = [
  createRoute({ ...under, path: '/quality/inspections', component: requires(P.qualityRead, InspectionsPage) }),
  createRoute({ ...under, path: '/quality/inspections/$inspectionId', component: requires(P.qualityRead, InspectionPage) }),
  createRoute({ ...under, path: '/quality/plans', component: requires(P.qualityRead, PlansPage) }),
  createRoute({ ...under, path: '/quality/plans/$itemId', component: requires(P.qualityRead, PlanPage) }),
] as const;
