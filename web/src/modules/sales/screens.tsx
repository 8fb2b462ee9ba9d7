import { IconFileSearch, IconTruckDelivery, IconTruckReturn } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import { inDays, queueLinkProps as linkProps, type ModuleScreens } from '../../app/screens';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDate } from '../../components/format';
import i18n from '../../i18n';
import type { ReturnSummary, SalesOrder } from './types';

const orderRow = (o: SalesOrder) => ({
  id: o.id,
  link: (
    <AnchorLink to="/sales/orders/$orderId" params={{ orderId: o.id }} {...linkProps}>
      {o.number}
    </AnchorLink>
  ),
  detail: o.nextRequestedDate ? i18n.t('dashboard.due', { date: formatDate(o.nextRequestedDate) }) : (o.customerReference ?? ''),
  late: !!o.nextRequestedDate && o.nextRequestedDate < inDays(0),
});

const returnRow = (r: ReturnSummary) => ({
  id: r.id,
  link: (
    <AnchorLink to="/sales/returns/$returnId" params={{ returnId: r.id }} {...linkProps}>
      {r.number}
    </AnchorLink>
  ),
  detail: `${r.customer.code} · ${r.lotNumbers.join(', ')}`,
});

/**
 * Sales orders, customers' returns and sales records in the navigation; orders to ship, late orders
 * (in red) and returned goods awaiting quality's disposition on the dashboard.
 */
export const salesScreens: ModuleScreens = {
  navigation: [
    { group: 'supply', to: '/sales/orders', labelKey: 'nav.salesOrders', icon: IconTruckDelivery, permission: P.salesRead },
    { group: 'supply', to: '/sales/returns', labelKey: 'nav.salesReturns', icon: IconTruckReturn, permission: P.salesRead },
    { group: 'supply', to: '/sales/records', labelKey: 'nav.salesRecords', icon: IconFileSearch, permission: P.salesRead },
  ],
  queues: [
    {
      key: 'toShip',
      titleKey: 'dashboard.queues.toShip',
      permission: P.salesRead,
      path: '/sales/orders',
      query: { toShip: true },
      all: (label: string) => (
        <AnchorLink to="/sales/orders" size="sm">
          {label}
        </AnchorLink>
      ),
      row: orderRow,
    },
    {
      key: 'lateOrders',
      titleKey: 'dashboard.queues.lateOrders',
      permission: P.salesRead,
      path: '/sales/orders',
      query: { late: true },
      all: (label: string) => (
        <AnchorLink to="/sales/orders" size="sm">
          {label}
        </AnchorLink>
      ),
      row: orderRow,
    },
    {
      key: 'returnsToDisposition',
      titleKey: 'dashboard.queues.returnsToDisposition',
      permission: P.salesSignReturnDisposition,
      path: '/sales/returns',
      query: { toDisposition: true },
      all: (label: string) => (
        <AnchorLink to="/sales/returns" size="sm">
          {label}
        </AnchorLink>
      ),
      row: returnRow,
    },
  ],
};
