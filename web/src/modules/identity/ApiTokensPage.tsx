import { Badge, Button, Group, Modal, MultiSelect, NumberInput, Stack, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { P } from '../../app/nav';
import { can, meQuery } from '../../auth/session';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import { ShownOnce } from './OneTimePassword';
import type { ApiToken, Permission } from './types';

/** API tokens for machines (scoped, revocable); the token itself is shown once, when issued. */
export function ApiTokensPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const manage = can(me, P.tokens);
  const revoke = useMutation({
    mutationFn: (id: string) => post(`/api-tokens/${id}/revoke`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['list', '/api-tokens'] }),
  });
  const columns: Column<ApiToken>[] = [
    { key: 'name', labelKey: 'tokens.name' },
    { key: 'prefix', labelKey: 'tokens.prefix' },
    { key: 'ownerLogin', labelKey: 'tokens.owner' },
    { key: 'scopes', labelKey: 'tokens.permissions', text: (tk) => tk.scopes.join(' ') },
    { key: 'createdAt', labelKey: 'tokens.createdAt', optional: true, text: (tk) => formatDateTime(tk.createdAt) },
    { key: 'expiresAt', labelKey: 'tokens.expiresAt', text: (tk) => formatDateTime(tk.expiresAt) },
    { key: 'lastUsedAt', labelKey: 'tokens.lastUsedAt', optional: true, text: (tk) => formatDateTime(tk.lastUsedAt) },
    {
      key: 'revokedAt',
      labelKey: 'tokens.status',
      text: (tk) => (tk.revokedAt ? `revoked ${tk.revokedAt}` : 'active'),
      render: (tk) =>
        tk.revokedAt ? (
          <Badge color="gray">{t('tokens.revoked')}</Badge>
        ) : manage ? (
          <Button size="compact-xs" color="red" variant="light" onClick={() => revoke.mutate(tk.id)}>
            {t('tokens.revoke')}
          </Button>
        ) : (
          <Badge color="green">{t('tokens.active')}</Badge>
        ),
    },
  ];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.apiTokens')}
      </Title>
      <DataTable<ApiToken>
        id="api-tokens"
        path="/api-tokens"
        columns={columns}
        rowKey={(tk) => tk.id}
        searchable={false}
        actions={
          manage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('tokens.create')}
            </Button>
          )
        }
      />
      {creating && <CreateTokenModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

function CreateTokenModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [days, setDays] = useState<string | number>(90);
  const catalog = useQuery({ queryKey: ['permissions'], queryFn: () => get<{ items: Permission[] }>('/permissions') });
  const create = useMutation({
    mutationFn: () => post<{ token: string; apiToken: ApiToken }>('/api-tokens', { name, scopes, expiresInDays: Number(days) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['list', '/api-tokens'] }),
  });
  if (create.data) {
    return (
      <ShownOnce
        opened
        onClose={onClose}
        title={t('tokens.created')}
        help={t('tokens.createdHelp')}
        secret={create.data.token}
        testId="api-token"
      />
    );
  }
  return (
    <Modal opened onClose={onClose} title={t('tokens.create')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <TextInput label={t('tokens.name')} required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <MultiSelect
            label={t('tokens.permissions')}
            data={(catalog.data?.items ?? []).map((p) => ({ value: p.name, label: p.name }))}
            value={scopes}
            onChange={setScopes}
            searchable
          />
          <NumberInput label={t('tokens.expiresInDays')} min={1} max={730} allowDecimal={false} value={days} onChange={setDays} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!name.trim() || scopes.length === 0} loading={create.isPending}>
              {t('tokens.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
