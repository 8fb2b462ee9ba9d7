import { Badge, Button, Group, Modal, MultiSelect, NumberInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page, post } from '../../api/client';
import { P } from '../../app/permissions';
import { can, meQuery } from '../../auth/session';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import { ShownOnce } from './OneTimePassword';
import type { ApiToken, Device } from './types';

/**
 * API tokens for machines (scoped, revocable); the token itself is shown once, when issued. Each
 * person issues their own, with permissions they hold; administrators see and revoke every token.
 */
export function ApiTokensPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const manage = can(me, P.tokens);
  const path = can(me, P.identityRead) ? '/api-tokens' : '/me/api-tokens';
  const revoke = useMutation({
    mutationFn: (id: string) => post(`/api-tokens/${id}/revoke`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['list', path] }),
  });
  const columns: Column<ApiToken>[] = [
    { key: 'name', labelKey: 'tokens.name' },
    { key: 'prefix', labelKey: 'tokens.prefix' },
    { key: 'ownerLogin', labelKey: 'tokens.owner' },
    { key: 'scopes', labelKey: 'tokens.permissions', text: (tk) => tk.scopes.join(' ') },
    { key: 'deviceId', labelKey: 'devices.device', optional: true, text: (tk) => tk.deviceCode ?? '' },
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
        ) : manage || tk.ownerLogin === me.login ? (
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
      <Text c="dimmed" size="sm">
        {t('tokens.ownerOnly')}
      </Text>
      <DataTable<ApiToken>
        id="api-tokens"
        path={path}
        columns={columns}
        rowKey={(tk) => tk.id}
        searchable={false}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t('tokens.create')}
          </Button>
        }
      />
      {creating && <CreateTokenModal path={path} scopesHeld={me.permissions} onClose={() => setCreating(false)} />}
    </Stack>
  );
}

/** A token of my own: its scopes can only be permissions I hold (the server checks it too). */
function CreateTokenModal({ path, scopesHeld, onClose }: { path: string; scopesHeld: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [days, setDays] = useState<string | number>(90);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const devices = useQuery({
    queryKey: ['list', '/devices', { active: true }, 'all'],
    queryFn: () => get<Page<Device>>('/devices', { active: true, limit: 200 }),
  });
  const create = useMutation({
    mutationFn: () => post<{ token: string; apiToken: ApiToken }>('/api-tokens', { name, scopes, deviceId, expiresInDays: Number(days) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['list', path] }),
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
            data={scopesHeld.filter((p) => !p.startsWith('auth:'))}
            value={scopes}
            onChange={setScopes}
            searchable
          />
          <Select
            label={t('devices.device')}
            placeholder={t('devices.noDevice')}
            clearable
            searchable
            data={(devices.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.code} — ${d.name} (${d.workCenter.code})` }))}
            value={deviceId}
            onChange={setDeviceId}
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
