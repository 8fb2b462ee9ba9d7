import { AppShell, Avatar, Burger, Group, Menu, NavLink, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLogout, IconUserCircle } from '@tabler/icons-react';
import { useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { post, setCsrfToken } from '../api/client';
import { can, meQuery } from '../auth/session';
import { notifyError } from '../components/notify';
import { NAVIGATION } from './nav';
import { ColorSchemeToggle, LanguageMenu, SiteSwitcher } from './preferences';

/** Header (tenant, site, language, theme, person) and navigation by module around every signed-in page. */
export function Shell() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const [opened, { toggle, close }] = useDisclosure();
  const path = useRouterState({ select: (s) => s.location.pathname });
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const logout = async () => {
    try {
      await post('/auth/logout');
    } catch (err) {
      notifyError(err);
    }
    setCsrfToken(null);
    queryClient.clear();
    await navigate({ to: '/login', search: {} });
  };

  const groups = NAVIGATION.map((g) => ({ ...g, items: g.items.filter((i) => can(me, i.permission)) })).filter((g) => g.items.length);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'md', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="mf-skip">
        {t('shell.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label={t('shell.toggleNavigation')} />
            <Text fw={700} component={Link} to="/" c="inherit" td="none">
              Mediforge
            </Text>
            <Text size="sm" c="dimmed" visibleFrom="sm" truncate maw={240}>
              {me.tenant.name}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <SiteSwitcher me={me} />
            <LanguageMenu />
            <ColorSchemeToggle />
            <Menu position="bottom-end">
              <Menu.Target>
                <UnstyledButton aria-label={t('shell.userMenu')} className="mf-focusable">
                  <Avatar size="sm" radius="xl" color="blue">
                    {initials(me.fullName)}
                  </Avatar>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {me.fullName} ({me.login})
                </Menu.Label>
                <Menu.Item leftSection={<IconUserCircle size={16} />} component={Link} to="/account">
                  {t('nav.account')}
                </Menu.Item>
                <Menu.Item leftSection={<IconLogout size={16} />} onClick={logout}>
                  {t('shell.logout')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.navigation')}>
        <ScrollArea>
          <Stack gap="md">
            {groups.map((g) => (
              <div key={g.labelKey}>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
                  {t(g.labelKey)}
                </Text>
                {g.items.map((item) => (
                  <NavLink
                    key={item.to}
                    component={Link}
                    to={item.to}
                    label={t(item.labelKey)}
                    leftSection={<item.icon size={18} />}
                    active={item.to === '/' ? path === '/' : path.startsWith(item.to)}
                    onClick={close}
                  />
                ))}
              </div>
            ))}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]?.toUpperCase())
    .join('');
}
