import { IconBuildingWarehouse, IconFileCheck, IconPackages } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import { inDays, queueLinkProps as linkProps, type ModuleScreens } from '../../app/screens';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDate, formatDecimal } from '../../components/format';

interface LotRow {
  id: string;
  number: string;
  item: { code: string; baseUnit: string };
  onHand: string;
  expiresOn: string | null;
  holdReason: string | null;
}

const lotLink = (l: LotRow) => (
  <AnchorLink to="/inventory/lots/$lotId" params={{ lotId: l.id }} {...linkProps}>
    {l.number} · {l.item.code}
  </AnchorLink>
);

/** Lots and stock on hand in the navigation; lots on hold and expiring soon on the dashboard. */
export const inventoryScreens: ModuleScreens = {
  navigation: [
    { group: 'supply', to: '/inventory/lots', labelKey: 'nav.lots', icon: IconPackages, permission: P.inventoryRead },
    { group: 'supply', to: '/inventory/on-hand', labelKey: 'nav.onHand', icon: IconBuildingWarehouse, permission: P.inventoryRead },
    {
      group: 'supply',
      to: '/traceability/epcis/validate',
      labelKey: 'nav.epcisValidate',
      icon: IconFileCheck,
      permission: P.traceabilityRead,
    },
  ],
  queues: [
    {
      key: 'onHold',
      titleKey: 'dashboard.queues.onHold',
      permission: P.inventoryRead,
      path: '/inventory/lots',
      query: { status: 'on_hold' },
      all: (label) => (
        <AnchorLink to="/inventory/lots" search={{ view: 'on_hold' }} size="sm">
          {label}
        </AnchorLink>
      ),
      row: (l: LotRow) => ({ id: l.id, link: lotLink(l), detail: l.holdReason ?? formatDecimal(l.onHand, l.item.baseUnit) }),
    },
    {
      key: 'expiring',
      titleKey: 'dashboard.queues.expiring',
      permission: P.inventoryRead,
      path: '/inventory/lots',
      query: { expiresBefore: inDays(31), inStock: true, sort: 'expiresOn' },
      all: (label) => (
        <AnchorLink to="/inventory/lots" search={{ view: 'expiring' }} size="sm">
          {label}
        </AnchorLink>
      ),
      row: (l: LotRow) => ({
        id: l.id,
        link: lotLink(l),
        detail: `${formatDate(l.expiresOn)} · ${formatDecimal(l.onHand, l.item.baseUnit)}`,
      }),
    },
  ],
};
