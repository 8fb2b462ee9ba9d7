import { Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ComponentType, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page, type Query } from '../api/client';
import { NAVIGATION, P } from '../app/nav';
import { can, meQuery } from '../auth/session';
import { AnchorLink } from '../components/AnchorLink';
import { formatDate, formatDecimal } from '../components/format';
import i18n from '../i18n';

/** One row of a work queue: a link to the record that waits, and a line about it. */
interface QueueRow {
  id: string;
  link: ReactNode;
  detail: string;
  /** Past its date: shown in red. */
  late?: boolean;
}

interface Queue {
  key: string;
  titleKey: string;
  permission: string;
  path: string;
  query: Query;
  /** A link to the list page showing the whole queue, labelled `label`. */
  all: (label: string) => ReactNode;
  row: (record: never) => QueueRow;
}

const linkProps = { size: 'sm', fw: 500 } as const;

const PAGE = 5;

const lotLink = (l: LotRow) => (
  <AnchorLink to="/inventory/lots/$lotId" params={{ lotId: l.id }} {...linkProps}>
    {l.number} · {l.item.code}
  </AnchorLink>
);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface InspectionRow {
  id: string;
  number: string;
  item: { code: string; name: string };
  lot: { number: string };
  supplier: { code: string };
  lotSize: number;
}
interface LotRow {
  id: string;
  number: string;
  item: { code: string; baseUnit: string };
  onHand: string;
  expiresOn: string | null;
  holdReason: string | null;
}
interface OrderRow {
  id: string;
  number: string;
  supplier: { code: string; name: string };
  lines: Array<{ dueDate: string; openQuantity: string }>;
}
interface DocumentRow {
  id: string;
  number: string;
  revision: number;
  title: string;
}

/**
 * What is waiting for someone today, from the live records: inspections to do, lots on hold or
 * about to expire, orders to receive, documents to review. Each queue shows its first rows and
 * opens the full list; people see only the queues their roles let them act on or read.
 */
const QUEUES: Queue[] = [
  {
    key: 'inspections',
    titleKey: 'dashboard.queues.inspections',
    permission: P.qualityRead,
    path: '/quality/inspections',
    query: { status: 'open' },
    all: (label) => (
      <AnchorLink to="/quality/inspections" size="sm">
        {label}
      </AnchorLink>
    ),
    row: (i: InspectionRow) => ({
      id: i.id,
      link: (
        <AnchorLink to="/quality/inspections/$inspectionId" params={{ inspectionId: i.id }} {...linkProps}>
          {i.number} · {i.item.code}
        </AnchorLink>
      ),
      detail: `${i.lot.number} · ${i.supplier.code} · ${i18n.t('dashboard.lotSize', { size: formatDecimal(String(i.lotSize)) })}`,
    }),
  },
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
];

function QueueCard({ queue }: { queue: Queue }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['list', queue.path, queue.query, 'dashboard'],
    queryFn: ({ signal }) => get<Page<never>>(queue.path, { ...queue.query, limit: PAGE }, signal),
    meta: { handlesErrors: true },
  });
  const rows = (list.data?.items ?? []).map(queue.row);
  const count = list.data ? (list.data.nextCursor ? `${rows.length}+` : String(rows.length)) : '';
  return (
    <Card withBorder padding="lg" radius="md" data-testid={`queue-${queue.key}`}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Text fw={600}>{t(queue.titleKey)}</Text>
        {list.data && (
          <Badge variant="light" color={rows.length ? 'orange' : 'green'}>
            {count}
          </Badge>
        )}
      </Group>
      {list.isPending ? (
        <Stack gap="xs">
          <Skeleton h={16} />
          <Skeleton h={16} />
        </Stack>
      ) : list.isError ? (
        <Text size="sm" c="red">
          {t('table.loadFailed')}
        </Text>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('dashboard.queueEmpty')}
        </Text>
      ) : (
        <Stack gap={6}>
          {rows.map((r) => (
            <div key={r.id}>
              {r.link}
              <Text size="xs" c={r.late ? 'red' : 'dimmed'} lineClamp={1}>
                {r.detail}
              </Text>
            </div>
          ))}
          <div>{queue.all(t('dashboard.showAll'))}</div>
        </Stack>
      )}
    </Card>
  );
}

/** Landing page: the person's work queues, then a way into every module they may open. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const queues = QUEUES.filter((q) => can(me, q.permission));
  // The dashboard itself and the person's own account are not modules.
  const modules = NAVIGATION.filter((g) => g.labelKey !== 'nav.group.me')
    .flatMap((g) => g.items)
    .filter((i) => i.to !== '/' && can(me, i.permission));
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('dashboard.welcome', { name: me.fullName })}
      </Title>
      <Text c="dimmed">{t('dashboard.intro', { tenant: me.tenant.name })}</Text>
      {queues.length > 0 && (
        <>
          <Title order={2} size="h4">
            {t('dashboard.waiting')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {queues.map((q) => (
              <QueueCard key={q.key} queue={q} />
            ))}
          </SimpleGrid>
        </>
      )}
      <Title order={2} size="h4">
        {t('dashboard.modules')}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
        {modules.map((item) => (
          <ModuleLink key={item.to} to={item.to} labelKey={item.labelKey} icon={item.icon} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function ModuleLink({ to, labelKey, icon: Icon }: { to: string; labelKey: string; icon: ComponentType<{ size?: number }> }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm" radius="md" component={Link} to={to} className="mf-focusable">
      <Group gap="sm" wrap="nowrap">
        <Icon size={20} />
        <Text size="sm" fw={500}>
          {t(labelKey)}
        </Text>
      </Group>
    </Card>
  );
}
