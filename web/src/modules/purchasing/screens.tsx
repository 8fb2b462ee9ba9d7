import { IconPackageImport, IconShoppingCart } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import { inDays, queueLinkProps as linkProps, type ModuleScreens } from '../../app/screens';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDate } from '../../components/format';
import i18n from '../../i18n';

interface OrderRow {
  id: string;
  number: string;
  supplier: { code: string; name: string };
  lines: Array<{ dueDate: string; openQuantity: string }>;
}

/** Orders and receiving in the navigation; orders to receive (late in red) on the dashboard. */
export const purchasingScreens: ModuleScreens = {
  navigation: [
    { group: 'supply', to: '/purchasing/orders', labelKey: 'nav.purchaseOrders', icon: IconShoppingCart, permission: P.purchasingRead },
    { group: 'supply', to: '/purchasing/receive', labelKey: 'nav.receiving', icon: IconPackageImport, permission: P.purchasingReceive },
  ],
  queues: [
    {
      key: 'toReceive',
      titleKey: 'dashboard.queues.toReceive',
      permission: P.purchasingRead,
      path: '/purchasing/orders',
      query: { receivable: true },
      all: (label) => (
        <AnchorLink to="/purchasing/receive" size="sm">
          {label}
        </AnchorLink>
      ),
      row: (o: OrderRow) => {
        const due = o.lines
          .filter((l) => l.openQuantity !== '0')
          .map((l) => l.dueDate)
          .sort()[0];
        return {
          id: o.id,
          link: (
            <AnchorLink to="/purchasing/orders/$orderId" params={{ orderId: o.id }} {...linkProps}>
              {o.number} · {o.supplier.code}
            </AnchorLink>
          ),
          detail: due ? i18n.t('dashboard.due', { date: formatDate(due) }) : o.supplier.name,
          late: !!due && due < inDays(0),
        };
      },
    },
  ],
};
