import { IconBuildingFactory2, IconPlayerPlay } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import { inDays, queueLinkProps as linkProps, type ModuleScreens } from '../../app/screens';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDate } from '../../components/format';
import i18n from '../../i18n';
import type { WorkOrder } from './types';

const orderRow = (o: WorkOrder) => ({
  id: o.id,
  link: (
    <AnchorLink to="/production/work-orders/$workOrderId" params={{ workOrderId: o.id }} {...linkProps}>
      {o.number}
    </AnchorLink>
  ),
  detail: `${o.itemCode} · ${i18n.t('dashboard.due', { date: formatDate(o.dueDate) })}`,
  late: o.dueDate < inDays(0),
});

/**
 * Work orders in the navigation; on the dashboard, released orders waiting for their material and
 * completed orders whose device history record waits for review or release, earliest due first.
 */
export const productionScreens: ModuleScreens = {
  navigation: [
    {
      group: 'supply',
      to: '/production/work-orders',
      labelKey: 'nav.workOrders',
      icon: IconBuildingFactory2,
      permission: P.productionRead,
    },
    {
      group: 'work',
      to: '/production/operations',
      labelKey: 'nav.operationQueue',
      icon: IconPlayerPlay,
      permission: P.productionExecute,
    },
  ],
  queues: [
    {
      key: 'workOrdersToIssue',
      titleKey: 'dashboard.queues.workOrdersToIssue',
      permission: P.productionIssue,
      path: '/production/work-orders',
      query: { status: 'released', sort: 'dueDate' },
      all: (label: string) => (
        <AnchorLink to="/production/work-orders" size="sm">
          {label}
        </AnchorLink>
      ),
      row: orderRow,
    },
    {
      key: 'dhrsToReview',
      titleKey: 'dashboard.queues.dhrsToReview',
      permission: P.productionSignReviewed,
      path: '/production/work-orders',
      query: { status: 'completed', dhrStatus: 'open', sort: 'dueDate' },
      all: (label: string) => (
        <AnchorLink to="/production/work-orders" size="sm">
          {label}
        </AnchorLink>
      ),
      row: orderRow,
    },
    {
      key: 'dhrsToRelease',
      titleKey: 'dashboard.queues.dhrsToRelease',
      permission: P.productionSignReleased,
      path: '/production/work-orders',
      query: { dhrStatus: 'reviewed', sort: 'dueDate' },
      all: (label: string) => (
        <AnchorLink to="/production/work-orders" size="sm">
          {label}
        </AnchorLink>
      ),
      row: orderRow,
    },
  ],
};
