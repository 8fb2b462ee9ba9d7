import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, post, setCsrfToken } from '../../api/client';
import { meQuery } from '../../auth/session';
import { PasswordChangeStep, TotpEnrolmentStep } from '../../auth/steps';
import { formatDateTime } from '../../components/format';
import { notifySuccess } from '../../components/notify';

interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** The signed-in person's own account: password, second factor, and where they are signed in. */
export function AccountPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [panel, setPanel] = useState<'password' | 'totp' | null>(null);
  const sessions = useQuery({ queryKey: ['sessions'], queryFn: () => get<{ items: SessionInfo[] }>('/auth/sessions') });
  const end = useMutation({
    mutationFn: (id: string) => del(`/auth/sessions/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sessions'] }),
  });
  const logoutAll = useMutation({
    mutationFn: () => post('/auth/logout-all'),
    onSuccess: async () => {
      setCsrfToken(null);
      queryClient.clear();
      await navigate({ to: '/login', search: {} });
    },
  });
  const finished = async () => {
    setPanel(null);
    await queryClient.invalidateQueries({ queryKey: ['me'] });
    notifySuccess(t('common.saved'));
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.account')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack gap="xs">
            <Text fw={700}>{me.fullName}</Text>
            <Text size="sm">
              {t('users.login')}: {me.login}
            </Text>
            <Text size="sm">
              {t('users.email')}: {me.email ?? '—'}
            </Text>
            <Text size="sm">
              {t('account.passwordExpires')}: {formatDateTime(me.passwordExpiresAt)}
            </Text>
            <Group gap="xs">
              <Text size="sm">{t('users.totp')}:</Text>
              <Badge color={me.totpEnrolled ? 'green' : 'gray'}>{me.totpEnrolled ? t('account.totpOn') : t('account.totpOff')}</Badge>
            </Group>
            <Group gap="xs" mt="sm">
              <Button variant="light" onClick={() => setPanel('password')}>
                {t('auth.changePassword')}
              </Button>
              {!me.totpEnrolled && (
                <Button variant="light" onClick={() => setPanel('totp')}>
                  {t('account.totpEnrol')}
                </Button>
              )}
            </Group>
          </Stack>
        </Card>
        <Card withBorder>
          {panel === 'password' && <PasswordChangeStep onDone={finished} />}
          {panel === 'totp' && <TotpEnrolmentStep onDone={finished} />}
          {panel === null && <Text c="dimmed">{t('account.choose')}</Text>}
        </Card>
      </SimpleGrid>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('account.sessions')}
        </Title>
        <Button color="red" variant="light" onClick={() => logoutAll.mutate()} loading={logoutAll.isPending}>
          {t('account.logoutAll')}
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={600}>
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('account.signedIn')}</Table.Th>
              <Table.Th>{t('account.lastSeen')}</Table.Th>
              <Table.Th>{t('account.device')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(sessions.data?.items ?? []).map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{formatDateTime(s.createdAt)}</Table.Td>
                <Table.Td>{formatDateTime(s.lastSeenAt)}</Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={1}>
                    {s.ip ?? ''} {s.userAgent ?? ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {s.current ? (
                    <Badge>{t('account.thisSession')}</Badge>
                  ) : (
                    <Button size="compact-xs" variant="light" color="red" onClick={() => end.mutate(s.id)}>
                      {t('account.endSession')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
