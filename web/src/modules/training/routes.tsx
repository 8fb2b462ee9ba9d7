import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { P } from '../../app/permissions';
import { requires, under } from '../../app/routes';

const MyTrainingPage = lazyRouteComponent(() => import('./MyTrainingPage'), 'MyTrainingPage');
const MatrixPage = lazyRouteComponent(() => import('./MatrixPage'), 'MatrixPage');
const RequirementsPage = lazyRouteComponent(() => import('./RequirementsPage'), 'RequirementsPage');

/** The training screens, under the signed-in app; lazily loaded on first visit. */
export const trainingRoutes = [
  createRoute({ ...under, path: '/training/mine', component: requires(P.trainingRead, MyTrainingPage) }),
  createRoute({ ...under, path: '/training/matrix', component: requires(P.trainingRead, MatrixPage) }),
  createRoute({ ...under, path: '/training/requirements', component: requires(P.trainingRead, RequirementsPage) }),
] as const;
