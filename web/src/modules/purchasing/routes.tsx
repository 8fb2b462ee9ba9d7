import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { P } from '../../app/permissions';
import { requires, under } from '../../app/routes';

const OrdersPage = lazyRouteComponent(() => import('./OrdersPage'), 'OrdersPage');
const NewOrderPage = lazyRouteComponent(() => import('./NewOrderPage'), 'NewOrderPage');
const OrderPage = lazyRouteComponent(() => import('./OrderPage'), 'OrderPage');
const ReceivePage = lazyRouteComponent(() => import('./ReceivePage'), 'ReceivePage');
const ReceiptPage = lazyRouteComponent(() => import('./ReceiptPage'), 'ReceiptPage');

/** The purchasing screens, under the signed-in app (see app/routes.tsx); lazily loaded on first visit. */
export const purchasingRoutes = [
  createRoute({ ...under, path: '/purchasing/orders', component: requires(P.purchasingRead, OrdersPage) }),
  createRoute({ ...under, path: '/purchasing/orders/new', component: requires(P.purchasingWrite, NewOrderPage) }),
  createRoute({ ...under, path: '/purchasing/orders/$orderId', component: requires(P.purchasingRead, OrderPage) }),
  createRoute({ ...under, path: '/purchasing/receive', component: requires(P.purchasingReceive, ReceivePage) }),
  createRoute({ ...under, path: '/purchasing/receipts/$receiptId', component: requires(P.purchasingRead, ReceiptPage) }),
] as const;
