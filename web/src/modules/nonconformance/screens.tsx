import { IconAlertTriangle } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import { queueLinkProps as linkProps, type ModuleScreens } from '../../app/screens';
import { AnchorLink } from '../../components/AnchorLink';
import i18n from '../../i18n';
import type { NcrSummary } from './types';

/** NCRs in the navigation; the MRB's queue of NCRs with quantity still to disposition on the dashboard. */
export const nonconformanceScreens: ModuleScreens = {
  navigation: [{ group: 'quality', to: '/nonconformance/ncrs', labelKey: 'nav.ncrs', icon: IconAlertTriangle, permission: P.ncrRead }],
  queues: [
    {
      key: 'ncrsToDisposition',
      titleKey: 'dashboard.queues.ncrsToDisposition',
      permission: P.ncrSignDispositioned,
      path: '/nonconformance/ncrs',
      query: { toDisposition: 'true' },
      all: (label) => (
        <AnchorLink to="/nonconformance/ncrs" size="sm">
          {label}
        </AnchorLink>
      ),
      row: (n: NcrSummary) => ({
        id: n.id,
        link: (
          <AnchorLink to="/nonconformance/ncrs/$ncrId" params={{ ncrId: n.id }} {...linkProps}>
            {n.number}
          </AnchorLink>
        ),
        detail: `${i18n.t(`nonconformance.defectClasses.${n.defectClass}`)} · ${i18n.t('nonconformance.openQuantity', { quantity: n.openQuantity })}`,
      }),
    },
  ],
};
