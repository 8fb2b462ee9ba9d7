import { IconFileText } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import { queueLinkProps as linkProps, type ModuleScreens } from '../../app/screens';
import { AnchorLink } from '../../components/AnchorLink';

interface DocumentRow {
  id: string;
  number: string;
  revision: number;
  title: string;
}

interface DueRow extends DocumentRow {
  nextReviewOn: string;
  overdue: boolean;
}

/** Controlled documents in the navigation; documents in review and those due for periodic review (overdue in red) on the dashboard. */
export const documentsScreens: ModuleScreens = {
  navigation: [{ group: 'quality', to: '/documents', labelKey: 'nav.documents', icon: IconFileText, permission: P.documentsRead }],
  queues: [
    {
      key: 'documentsInReview',
      titleKey: 'dashboard.queues.documentsInReview',
      permission: P.documentsRead,
      path: '/documents',
      query: { status: 'in_review' },
      all: (label) => (
        <AnchorLink to="/documents" size="sm">
          {label}
        </AnchorLink>
      ),
      row: (d: DocumentRow) => ({
        id: d.id,
        link: (
          <AnchorLink to="/documents/$documentId" params={{ documentId: d.id }} {...linkProps}>
            {d.number}
          </AnchorLink>
        ),
        detail: d.title,
      }),
    },
    {
      key: 'documentsReviewDue',
      titleKey: 'dashboard.queues.documentsReviewDue',
      permission: P.documentsRead,
      path: '/documents/reviews-due',
      query: { withinDays: 30 },
      all: (label) => (
        <AnchorLink to="/documents" search={{ status: 'effective' }} size="sm">
          {label}
        </AnchorLink>
      ),
      row: (d: DueRow) => ({
        id: d.id,
        link: (
          <AnchorLink to="/documents/$documentId" params={{ documentId: d.id }} {...linkProps}>
            {d.number}
          </AnchorLink>
        ),
        detail: `${d.nextReviewOn} · ${d.title}`,
        late: d.overdue,
      }),
    },
  ],
};
