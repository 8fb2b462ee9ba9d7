import { Alert, Button, Group, Loader, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { P } from '../../app/permissions';
import { can, meQuery } from '../../auth/session';
import { formatDateTime } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { RecordPage } from '../../components/RecordPage';
import { problemMessage } from '../../i18n';
import { ShownOnce } from './OneTimePassword';
import { RoleAssignments } from './RoleAssignments';
import type { User } from './types';
import { UserStatus } from './UserStatus';

/** One user: details, roles per site, deactivation and password reset, and the user's audit trail. */
export function UserPage() {
  const { t } = useTranslation();
  const { userId } = useParams({ from: '/app/admin/users/$userId' });
  const { data: me } = useSuspenseQuery(meQuery);
  const user = useQuery({ queryKey: ['user', userId], queryFn: () => get<User>(`/users/${userId}`) });
  const [deactivating, setDeactivating] = useState(false);
  const queryClient = useQueryClient();
  const reset = useMutation({
    mutationFn: () => post<{ oneTimePassword: string }>(`/users/${userId}/reset-password`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['user', userId] }),
  });

  if (user.isPending) return <Loader aria-label={t('common.loading')} />;
  if (user.isError) return <Alert color="red">{problemMessage(user.error)}</Alert>;
  const u = user.data;
  const admin = can(me, P.users);
  const rows: Array<[string, React.ReactNode]> = [
    [t('users.login'), u.login],
    [t('users.fullName'), u.fullName],
    [t('users.email'), u.email ?? '—'],
    [t('users.status.label'), <UserStatus key="s" user={u} />],
    [t('users.totp'), u.totpEnrolled ? t('common.yes') : t('common.no')],
    [t('users.mustChangePassword'), u.mustChangePassword ? t('common.yes') : t('common.no')],
    ...(u.signingBlocked ? ([[t('users.signingBlocked'), t('common.yes')]] as Array<[string, React.ReactNode]>) : []),
    [t('users.passwordChangedAt'), formatDateTime(u.passwordChangedAt)],
    [t('users.createdAt'), formatDateTime(u.createdAt)],
  ];
  if (u.deactivatedAt) rows.push([t('users.deactivatedAt'), formatDateTime(u.deactivatedAt)]);

  return (
    <>
      <RecordPage
        list={{ to: '/admin/users', labelKey: 'nav.users' }}
        title={u.fullName}
        subtitle={u.login}
        status={<UserStatus user={u} />}
        record={{ entity: 'users', id: u.id }}
        actions={
          admin &&
          u.active && (
            <>
              <Button variant="default" onClick={() => reset.mutate()} loading={reset.isPending}>
                {t('users.resetPassword')}
              </Button>
              <Button color="red" variant="light" onClick={() => setDeactivating(true)}>
                {t('users.deactivate')}
              </Button>
            </>
          )
        }
        details={
          <Stack gap="lg">
            <Table variant="vertical" withTableBorder>
              <Table.Tbody>
                {rows.map(([label, value]) => (
                  <Table.Tr key={label}>
                    <Table.Th w={220}>{label}</Table.Th>
                    <Table.Td>{value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <RoleAssignments user={u} editable={admin && u.active} />
          </Stack>
        }
      />
      {reset.data && (
        <ShownOnce
          opened
          onClose={() => reset.reset()}
          title={t('users.passwordReset', { login: u.login })}
          help={t('users.oneTimePasswordHelp')}
          secret={reset.data.oneTimePassword}
          testId="one-time-password"
        />
      )}
      <DeactivateModal user={u} opened={deactivating} onClose={() => setDeactivating(false)} />
    </>
  );
}

function DeactivateModal({ user, opened, onClose }: { user: User; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const queryClient = useQueryClient();
  const deactivate = useMutation({
    mutationFn: () => post<User>(`/users/${user.id}/deactivate`, { reason }),
    onSuccess: (u) => {
      queryClient.setQueryData(['user', user.id], u);
      void queryClient.invalidateQueries({ queryKey: ['list', '/users'] });
      notifySuccess(t('users.deactivated', { login: user.login }));
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('users.deactivate')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          deactivate.mutate();
        }}
      >
        <Stack>
          <Text size="sm">{t('users.deactivateHelp', { login: user.login })}</Text>
          <Textarea label={t('common.reason')} required data-autofocus value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" disabled={!reason.trim()} loading={deactivate.isPending}>
              {t('users.deactivate')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
