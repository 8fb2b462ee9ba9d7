import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { P } from '../../app/permissions';
import { requires, under } from '../../app/routes';

const OrdersPage = lazyRouteComponent(() => import('./OrdersPage'), 'OrdersPage');
const OrderPage = lazyRouteComponent(() => import('./OrderPage'), 'OrderPage');
const PickPage = lazyRouteComponent(() => import('./PickPage'), 'PickPage');
const ShipmentPage = lazyRouteComponent(() => import('./ShipmentPage'), 'ShipmentPage');
const RecordsPage = lazyRouteComponent(() => import('./RecordsPage'), 'RecordsPage');
const ReturnsPage = lazyRouteComponent(() => import('./ReturnsPage'), 'ReturnsPage');
const ReturnPage = lazyRouteComponent(() => import('./ReturnPage'), 'ReturnPage');

/** The sales screens, under the signed-in app; lazily loaded on first visit. */
export const salesRoutes = [
  createRoute({ ...under, path: '/sales/orders', component: requires(P.salesRead, OrdersPage) }),
  createRoute({ ...under, path: '/sales/orders/$orderId', component: requires(P.salesRead, OrderPage) }),
  createRoute({ ...under, path: '/sales/orders/$orderId/pick', component: requires(P.salesShip, PickPage) }),
  createRoute({ ...under, path: '/sales/shipments/$shipmentId', component: requires(P.salesRead, ShipmentPage) }),
  createRoute({ ...under, path: '/sales/records', component: requires(P.salesRead, RecordsPage) }),
  createRoute({ ...under, path: '/sales/returns', component: requires(P.salesRead, ReturnsPage) }),
  createRoute({ ...under, path: '/sales/returns/$returnId', component: requires(P.salesRead, ReturnPage) }),
] as const;
