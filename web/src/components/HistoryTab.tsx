import { Alert, Badge, Button, Code, Group, Loader, Stack, Table, Text, TextInput, Timeline } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import { problemMessage } from '../i18n';
import { ACTION_KEYS, type AuditEvent, type RecordAsOf } from './audit';
import { formatDateTime, formatValue } from './format';
import type { RecordRef } from './RecordPage';

/**
 * A record's audit trail, oldest first: who, when, why, and each changed field old → new;
 * plus the record rebuilt as it was at any chosen instant.
 */
export function HistoryTab({ record }: { record: RecordRef }) {
  const { t } = useTranslation();
  const history = useQuery({
    queryKey: ['audit', record.entity, record.id],
    queryFn: () => get<{ items: AuditEvent[] }>('/audit/history', { entity: record.entity, id: record.id }),
  });
  if (history.isPending) return <Loader aria-label={t('common.loading')} />;
  if (history.isError) return <Alert color="red">{problemMessage(history.error)}</Alert>;
  const events = history.data.items;
  return (
    <Stack gap="lg">
      {events.length === 0 ? (
        <Text c="dimmed">{t('history.empty')}</Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} active={events.length}>
          {events.map((e) => (
            <Timeline.Item
              key={e.id}
              title={
                <Group gap="xs">
                  <Badge variant="light" color={e.action === 'delete' ? 'red' : e.action === 'insert' ? 'green' : 'blue'}>
                    {ACTION_KEYS[e.action] ? t(ACTION_KEYS[e.action]!) : e.action}
                  </Badge>
                  <Text size="sm" fw={600}>
                    {e.actor.name}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {formatDateTime(e.at)}
                  </Text>
                </Group>
              }
            >
              {e.reason && (
                <Text size="sm" mt={4}>
                  {t('history.reason')}: {e.reason}
                </Text>
              )}
              {e.changes.length > 0 && <ChangeTable changes={e.changes} />}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      <AsOfView record={record} />
    </Stack>
  );
}

function ChangeTable({ changes }: { changes: AuditEvent['changes'] }) {
  const { t } = useTranslation();
  return (
    <Table withTableBorder mt="xs" fz="sm" data-testid="field-diff">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('history.field')}</Table.Th>
          <Table.Th>{t('history.old')}</Table.Th>
          <Table.Th>{t('history.new')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.field}>
            <Table.Td>
              <Code>{c.field}</Code>
            </Table.Td>
            <Table.Td>
              <Text span size="sm" td="line-through" c="red.7">
                {formatValue(c.old)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text span size="sm" c="green.8">
                {formatValue(c.new)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Local date-time input value (no zone) to an ISO instant in the browser's zone. */
function localToIso(local: string): string | null {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function AsOfView({ record }: { record: RecordRef }) {
  const { t } = useTranslation();
  const [input, setInput] = useState('');
  const [asOf, setAsOf] = useState<string | null>(null);
  const view = useQuery({
    queryKey: ['audit', 'asOf', record.entity, record.id, asOf],
    queryFn: () => get<RecordAsOf>('/audit/record', { entity: record.entity, id: record.id, asOf }),
    enabled: asOf !== null,
    meta: { handlesErrors: true },
  });
  return (
    <Stack gap="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setAsOf(localToIso(input));
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput
            type="datetime-local"
            step={1}
            label={t('history.asOf')}
            value={input}
            onChange={(e) => setInput(e.currentTarget.value)}
          />
          <Button type="submit" variant="light" disabled={!input}>
            {t('history.showAsOf')}
          </Button>
        </Group>
      </form>
      {view.isError && <Alert color="red">{problemMessage(view.error)}</Alert>}
      {view.data && (
        <Stack gap="xs" data-testid="as-of">
          <Text size="sm" c="dimmed">
            {view.data.exists
              ? t('history.asOfState', { at: formatDateTime(view.data.asOf) })
              : t('history.asOfMissing', { at: formatDateTime(view.data.asOf) })}
            {view.data.lastChange &&
              ` ${t('history.lastChange', { name: view.data.lastChange.actor.name, at: formatDateTime(view.data.lastChange.at) })}`}
          </Text>
          {view.data.record && (
            <Table withTableBorder fz="sm">
              <Table.Tbody>
                {Object.entries(view.data.record).map(([k, v]) => (
                  <Table.Tr key={k}>
                    <Table.Th w="30%">
                      <Code>{k}</Code>
                    </Table.Th>
                    <Table.Td style={{ wordBreak: 'break-all' }}>{formatValue(v)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Stack>
  );
}
