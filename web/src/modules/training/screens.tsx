import { IconListCheck, IconSchool, IconTable } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import { queueLinkProps as linkProps, type ModuleScreens } from '../../app/screens';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDate } from '../../components/format';
import i18n from '../../i18n';
import type { TrainingTask } from './MyTrainingPage';

/** My training and the training matrix in the navigation; my training due on the dashboard (overdue in red). */
export const trainingScreens: ModuleScreens = {
  navigation: [
    { group: 'me', to: '/training/mine', labelKey: 'nav.myTraining', icon: IconSchool, permission: P.trainingRead },
    { group: 'quality', to: '/training/matrix', labelKey: 'nav.trainingMatrix', icon: IconTable, permission: P.trainingRead },
    {
      group: 'quality',
      to: '/training/requirements',
      labelKey: 'nav.trainingRequirements',
      icon: IconListCheck,
      permission: P.trainingRead,
    },
  ],
  queues: [
    {
      key: 'myTraining',
      titleKey: 'dashboard.queues.myTraining',
      permission: P.trainingRead,
      path: '/training/my-tasks',
      query: {},
      all: (label) => (
        <AnchorLink to="/training/mine" size="sm">
          {label}
        </AnchorLink>
      ),
      row: (x: TrainingTask) => ({
        id: x.id,
        link: (
          <AnchorLink to="/training/mine" {...linkProps}>
            {x.documentNumber} · {i18n.t('training.rev', { revision: x.revision })}
          </AnchorLink>
        ),
        detail: i18n.t('dashboard.due', { date: formatDate(x.dueOn) }),
        late: x.overdue,
      }),
    },
  ],
};
