import { Alert, Button, Group, Modal, Select, Stack, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/permissions';
import { can, meQuery } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { useSchemaForm } from '../../components/form';
import { formatDateTime } from '../../components/format';
import { LANGUAGES, problemMessage } from '../../i18n';
import { ShownOnce } from './OneTimePassword';
import type { User } from './types';
import { UserStatus } from './UserStatus';

const columns: Column<User>[] = [
  {
    key: 'login',
    labelKey: 'users.login',
    sortable: true,
    render: (u) => (
      <AnchorLink to="/admin/users/$userId" params={{ userId: u.id }}>
        {u.login}
      </AnchorLink>
    ),
  },
  { key: 'fullName', labelKey: 'users.fullName' },
  { key: 'email', labelKey: 'users.email' },
  {
    key: 'status',
    labelKey: 'users.status.label',
    render: (u) => <UserStatus user={u} />,
    text: (u) => (u.active ? 'active' : 'deactivated'),
  },
  { key: 'roles', labelKey: 'users.roles', text: (u) => [...new Set(u.roles.map((r) => r.roleName))].join(', ') },
  { key: 'totpEnrolled', labelKey: 'users.totp', optional: true },
  { key: 'createdAt', labelKey: 'users.createdAt', sortable: true, optional: true, text: (u) => formatDateTime(u.createdAt) },
];

/** The tenant's people: search, sort, export, and (for administrators) add a user. */
export function UsersPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.users')}
      </Title>
      <DataTable<User>
        id="users"
        path="/users"
        columns={columns}
        rowKey={(u) => u.id}
        defaultSort="login"
        actions={
          can(me, P.users) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('users.create')}
            </Button>
          )
        }
      />
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

interface Created {
  user: User;
  oneTimePassword: string;
}

function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useSchemaForm(useRequestSchema('POST', '/users'), { login: '', fullName: '', email: '', language: 'en' });
  const create = useMutation({
    mutationFn: (body: typeof form.values) => post<Created>('/users', body),
    meta: { handlesErrors: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['list', '/users'] }),
    onError: (err) => form.showProblem(err),
  });
  const close = () => {
    create.reset();
    form.reset();
    onClose();
  };
  if (create.data) {
    const { user, oneTimePassword } = create.data;
    return (
      <ShownOnce
        opened={opened}
        onClose={() => {
          close();
          void navigate({ to: '/admin/users/$userId', params: { userId: user.id } });
        }}
        title={t('users.created', { login: user.login })}
        help={t('users.oneTimePasswordHelp')}
        secret={oneTimePassword}
        testId="one-time-password"
      />
    );
  }
  return (
    <Modal opened={opened} onClose={close} title={t('users.create')} centered>
      <form noValidate onSubmit={form.submit((body) => create.mutate(body))}>
        <Stack>
          {create.error && !Object.keys(form.errors).length && <Alert color="red">{problemMessage(create.error)}</Alert>}
          <TextInput label={t('users.login')} description={t('users.loginHelp')} required data-autofocus {...form.field('login')} />
          <TextInput label={t('users.fullName')} description={t('users.fullNameHelp')} required {...form.field('fullName')} />
          <TextInput label={t('users.email')} type="email" {...form.field('email')} />
          <Select
            label={t('prefs.language')}
            data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
            allowDeselect={false}
            {...form.field('language')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('users.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
