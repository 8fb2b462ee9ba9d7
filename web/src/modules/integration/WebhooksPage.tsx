import { Badge, Button, Group, Modal, Stack, TagsInput, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import { ShownOnce } from '../identity/OneTimePassword';
import type { Webhook } from './types';

const columns: Column<Webhook>[] = [
  {
    key: 'url',
    labelKey: 'webhooks.url',
    render: (w) => (
      <AnchorLink to="/admin/webhooks/$webhookId" params={{ webhookId: w.id }}>
        {w.url}
      </AnchorLink>
    ),
  },
  { key: 'description', labelKey: 'webhooks.description' },
  { key: 'events', labelKey: 'webhooks.eventTypes', text: (w) => w.events.join(' ') },
  { key: 'active', labelKey: 'webhooks.status', render: (w) => <WebhookStatus active={w.active} />, text: (w) => String(w.active) },
  { key: 'createdAt', labelKey: 'webhooks.createdAt', optional: true, text: (w) => formatDateTime(w.createdAt) },
];

export function WebhookStatus({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return <Badge color={active ? 'green' : 'gray'}>{active ? t('webhooks.active') : t('webhooks.paused')}</Badge>;
}

/** Outbound webhook subscriptions: which events go to which URL; the signing secret is shown once. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.webhooks')}
      </Title>
      <DataTable<Webhook>
        id="webhooks"
        path="/webhooks"
        columns={columns}
        rowKey={(w) => w.id}
        searchable={false}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t('webhooks.create')}
          </Button>
        }
      />
      {creating && <CreateWebhookModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

function CreateWebhookModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const create = useMutation({
    mutationFn: () => api<Webhook & { secret: string }>('POST', '/webhooks', { body: { url, description, events }, idempotencyKey }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['list', '/webhooks'] }),
  });
  if (create.data) {
    return (
      <ShownOnce
        opened
        onClose={onClose}
        title={t('webhooks.created')}
        help={t('webhooks.secretHelp')}
        secret={create.data.secret}
        testId="webhook-secret"
      />
    );
  }
  return (
    <Modal opened onClose={onClose} title={t('webhooks.create')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <TextInput
            label={t('webhooks.url')}
            type="url"
            required
            data-autofocus
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
          <TextInput label={t('webhooks.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <TagsInput label={t('webhooks.eventTypes')} description={t('webhooks.eventTypesHelp')} value={events} onChange={setEvents} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!url || events.length === 0} loading={create.isPending}>
              {t('webhooks.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
