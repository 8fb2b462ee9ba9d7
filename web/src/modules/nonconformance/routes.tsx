import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { P } from '../../app/permissions';
import { requires, under } from '../../app/routes';

const NcrsPage = lazyRouteComponent(() => import('./NcrsPage'), 'NcrsPage');
const NcrPage = lazyRouteComponent(() => import('./NcrPage'), 'NcrPage');

/** The nonconformance screens, under the signed-in app; lazily loaded on first visit. */
export const nonconformanceRoutes = [
  createRoute({ ...under, path: '/nonconformance/ncrs', component: requires(P.ncrRead, NcrsPage) }),
  createRoute({ ...under, path: '/nonconformance/ncrs/$ncrId', component: requires(P.ncrRead, NcrPage) }),
] as const;
