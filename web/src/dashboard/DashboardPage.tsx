import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { NAVIGATION } from '../app/nav';
import { can, meQuery } from '../auth/session';

/**
 * Landing page: a card per module the person may open. Key figures arrive with the analytics
 * module; until then the cards say so rather than show numbers nobody measured.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  // Cards for the modules; the dashboard itself and the person's own account are not modules.
  const items = NAVIGATION.filter((g) => g.labelKey !== 'nav.group.me')
    .flatMap((g) => g.items)
    .filter((i) => i.to !== '/' && can(me, i.permission));
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('dashboard.welcome', { name: me.fullName })}
      </Title>
      <Text c="dimmed">{t('dashboard.intro', { tenant: me.tenant.name })}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {items.map((item) => (
          <Card key={item.to} withBorder padding="lg" radius="md">
            <Group gap="sm" mb="xs">
              <item.icon size={22} />
              <Anchor component={Link} to={item.to} fw={600}>
                {t(item.labelKey)}
              </Anchor>
            </Group>
            <Text size="sm" c="dimmed">
              {t('dashboard.noData')}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
