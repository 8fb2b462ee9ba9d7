import { Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page } from '../api/client';
import { NAVIGATION, QUEUES } from '../app/nav';
import type { Queue } from '../app/screens';
import { can, meQuery } from '../auth/session';

const PAGE = 5;

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
