import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { P } from '../../app/permissions';
import { requires, under } from '../../app/routes';
import { type LotsSearch, lotsSearch, type OnHandSearch, onHandSearch } from './search';

const LotsPage = lazyRouteComponent(() => import('./LotsPage'), 'LotsPage');
const LotPage = lazyRouteComponent(() => import('./LotPage'), 'LotPage');
const OnHandPage = lazyRouteComponent(() => import('./OnHandPage'), 'OnHandPage');
const EpcisValidatePage = lazyRouteComponent(() => import('./EpcisValidatePage'), 'EpcisValidatePage');

/** The inventory screens, under the signed-in app (see app/routes.tsx); lazily loaded on first visit. */
export const inventoryRoutes = [
  createRoute({
    ...under,
    path: '/inventory/lots',
    validateSearch: (s: Record<string, unknown>): LotsSearch => lotsSearch(s),
    component: requires(P.inventoryRead, LotsPage),
  }),
  createRoute({ ...under, path: '/inventory/lots/$lotId', component: requires(P.inventoryRead, LotPage) }),
  createRoute({
    ...under,
    path: '/inventory/on-hand',
    validateSearch: (s: Record<string, unknown>): OnHandSearch => onHandSearch(s),
    component: requires(P.inventoryRead, OnHandPage),
  }),
  createRoute({ ...under, path: '/traceability/epcis/validate', component: requires(P.traceabilityRead, EpcisValidatePage) }),
] as const;
