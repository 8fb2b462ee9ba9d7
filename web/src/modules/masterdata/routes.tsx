import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { P } from '../../app/permissions';
import { requires, under } from '../../app/routes';

/** The masterdata screens, under the signed-in app (see app/routes.tsx); lazily loaded on first visit. */
const page = {
  items: lazyRouteComponent(() => import('./ItemsPage'), 'ItemsPage'),
  item: lazyRouteComponent(() => import('./ItemPage'), 'ItemPage'),
  revision: lazyRouteComponent(() => import('./RevisionPage'), 'RevisionPage'),
  units: lazyRouteComponent(() => import('./UnitsPage'), 'UnitsPage'),
  workCenters: lazyRouteComponent(() => import('./WorkCentersPage'), 'WorkCentersPage'),
  workCenter: lazyRouteComponent(() => import('./WorkCenterPage'), 'WorkCenterPage'),
  equipmentList: lazyRouteComponent(() => import('./EquipmentPage'), 'EquipmentListPage'),
  equipment: lazyRouteComponent(() => import('./EquipmentPage'), 'EquipmentPage'),
  locations: lazyRouteComponent(() => import('./LocationsPage'), 'LocationsPage'),
  suppliers: lazyRouteComponent(() => import('./SuppliersPage'), 'SuppliersPage'),
  supplier: lazyRouteComponent(() => import('./SupplierPage'), 'SupplierPage'),
  customers: lazyRouteComponent(() => import('./CustomersPage'), 'CustomersPage'),
  customer: lazyRouteComponent(() => import('./CustomerPage'), 'CustomerPage'),
  sites: lazyRouteComponent(() => import('./SitesPage'), 'SitesPage'),
};

const read = (component: Parameters<typeof requires>[1]) => requires(P.masterdataRead, component);

export const masterdataRoutes = [
  createRoute({ ...under, path: '/items', component: read(page.items) }),
  createRoute({ ...under, path: '/items/$itemId', component: read(page.item) }),
  createRoute({ ...under, path: '/item-revisions/$revisionId', component: read(page.revision) }),
  createRoute({ ...under, path: '/units', component: read(page.units) }),
  createRoute({ ...under, path: '/work-centers', component: read(page.workCenters) }),
  createRoute({ ...under, path: '/work-centers/$workCenterId', component: read(page.workCenter) }),
  createRoute({ ...under, path: '/equipment', component: read(page.equipmentList) }),
  createRoute({ ...under, path: '/equipment/$equipmentId', component: read(page.equipment) }),
  createRoute({ ...under, path: '/locations', component: read(page.locations) }),
  createRoute({ ...under, path: '/suppliers', component: read(page.suppliers) }),
  createRoute({ ...under, path: '/suppliers/$supplierId', component: read(page.supplier) }),
  createRoute({ ...under, path: '/customers', component: read(page.customers) }),
  createRoute({ ...under, path: '/customers/$customerId', component: read(page.customer) }),
  createRoute({ ...under, path: '/admin/sites', component: requires(P.sitesRead, page.sites) }),
] as const;
