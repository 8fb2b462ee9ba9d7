import { Alert, Badge, Button, Code, Group, Loader, Stack, Switch, Table, Text, TextInput, Timeline } from '@mantine/core';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import i18next from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentSiteId, get } from '../api/client';
import { meQuery } from '../auth/session';
import { problemMessage } from '../i18n';
import { ACTION_KEYS, type AuditEvent, type RecordAsOf } from './audit';
import { formatDateTime, formatValue } from './format';
import type { RecordRef } from './RecordPage';

type Names = Record<string, { code: string; name: string }>;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** The time zone of the site the person works at, for times as the plant reads them. */
function useSiteTimeZone(): string | undefined {
  const { data: me } = useSuspenseQuery(meQuery);
  return me.sites.find((s) => s.id === currentSiteId())?.timeZone ?? me.sites[0]?.timeZone;
}

/**
 * A record's audit trail, oldest first: who, when (in the site's time zone), why, and each
 * changed field old → new by its label, with referred records by code and name; the stored
 * values one switch away. Plus the record rebuilt as it was at any chosen instant.
 */
export function HistoryTab({ record }: { record: RecordRef }) {
  const { t } = useTranslation();
  const timeZone = useSiteTimeZone();
  const [raw, setRaw] = useState(false);
  const history = useQuery({
    queryKey: ['audit', record.entity, record.id],
    queryFn: () => get<{ items: AuditEvent[]; names: Names }>('/audit/history', { entity: record.entity, id: record.id }),
  });
  if (history.isPending) return <Loader aria-label={t('common.loading')} />;
  if (history.isError) return <Alert color="red">{problemMessage(history.error)}</Alert>;
  const events = history.data.items;
  const names = history.data.names ?? {};
  return (
    <Stack gap="lg">
      <Switch label={t('history.raw')} description={t('history.rawHint')} checked={raw} onChange={(e) => setRaw(e.currentTarget.checked)} />
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
                    {formatDateTime(e.at, timeZone)}
                  </Text>
                </Group>
              }
            >
              {e.reason && (
                <Text size="sm" mt={4}>
                  {t('history.reason')}: {e.reason}
                </Text>
              )}
              {e.changes.length > 0 && <ChangeTable changes={e.changes} names={names} raw={raw} timeZone={timeZone} />}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      <AsOfView record={record} />
    </Stack>
  );
}

/** A stored value as a person reads it: a referred record by code and name, a time in the site's zone. */
function readable(value: unknown, names: Names, timeZone: string | undefined): string {
  if (typeof value === 'string' && names[value]) {
    const { code, name } = names[value] as { code: string; name: string };
    return code === name ? code : `${code} — ${name}`;
  }
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return formatDateTime(value, timeZone);
  if (typeof value === 'boolean') return i18next.t(value ? 'common.yes' : 'common.no');
  return formatValue(value);
}

function ChangeTable({
  changes,
  names,
  raw,
  timeZone,
}: {
  changes: AuditEvent['changes'];
  names: Names;
  raw: boolean;
  timeZone: string | undefined;
}) {
  const { t } = useTranslation();
  const show = (v: unknown) => (raw ? formatValue(v) : readable(v, names, timeZone));
  return (
    <Table withTableBorder mt="xs" fz="sm" data-testid="field-diff" layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="28%">{t('history.field')}</Table.Th>
          <Table.Th>{t('history.old')}</Table.Th>
          <Table.Th>{t('history.new')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.field}>
            <Table.Td>{raw ? <Code>{c.field}</Code> : t(`history.fields.${c.field}`, { defaultValue: c.field })}</Table.Td>
            <Table.Td style={{ wordBreak: 'break-word', whiteSpace: 'pre-wrap' }} title={formatValue(c.old)}>
              <Text span size="sm" td="line-through" c="red.7">
                {show(c.old)}
              </Text>
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-word', whiteSpace: 'pre-wrap' }} title={formatValue(c.new)}>
              <Text span size="sm" c="green.8">
                {show(c.new)}
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
                    <Table.Th w="30%">{t(`history.fields.${k}`, { defaultValue: k })}</Table.Th>
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
