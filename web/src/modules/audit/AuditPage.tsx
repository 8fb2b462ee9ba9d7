import { Alert, Button, Code, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useMutation, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, meQuery } from '../../auth/session';
import { ACTION_KEYS, type AuditEvent } from '../../components/audit';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime, formatValue } from '../../components/format';
import i18n from '../../i18n';

interface ChainReport {
  checked: number;
  ok: boolean;
  firstBroken: { seq: number; eventId: string | null; problem: string; detail: string } | null;
  unsealed: { count: number; oldestAgeSeconds: number | null };
}

const columns: Column<AuditEvent>[] = [
  { key: 'at', labelKey: 'audit.at', text: (e) => formatDateTime(e.at) },
  { key: 'actor', labelKey: 'audit.actor', text: (e) => e.actor.name },
  {
    key: 'action',
    labelKey: 'audit.actionLabel',
    text: (e) => (ACTION_KEYS[e.action] ? i18n.t(ACTION_KEYS[e.action]!) : e.action),
  },
  { key: 'entity', labelKey: 'audit.entity' },
  { key: 'recordId', labelKey: 'audit.recordId', render: (e) => <Code>{e.recordId ?? '—'}</Code> },
  {
    key: 'changes',
    labelKey: 'audit.changes',
    text: (e) => e.changes.map((c) => `${c.field}: ${formatValue(c.old)} → ${formatValue(c.new)}`).join('; '),
  },
  { key: 'reason', labelKey: 'audit.reason' },
  { key: 'seq', labelKey: 'audit.seq', optional: true },
  { key: 'requestId', labelKey: 'audit.requestId', optional: true },
];

/** The tenant's audit trail for auditors: filter by entity, actor, action and period; verify the hash chain. */
export function AuditPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const [entity, setEntity] = useState('');
  const [actor, setActor] = useState('');
  const [action, setAction] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const verify = useMutation({ mutationFn: () => get<ChainReport>('/audit/verify') });
  const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('nav.audit')}
        </Title>
        {can(me, P.auditVerify) && (
          <Button leftSection={<IconShieldCheck size={16} />} variant="light" onClick={() => verify.mutate()} loading={verify.isPending}>
            {t('audit.verify')}
          </Button>
        )}
      </Group>
      {verify.data && <ChainResult report={verify.data} />}
      <DataTable<AuditEvent>
        id="audit"
        path="/audit"
        columns={columns}
        rowKey={(e) => e.id}
        searchable={false}
        filters={{
          entity: entity.trim() || undefined,
          actor: actor.trim() || undefined,
          action: action ?? undefined,
          from: iso(from),
          to: iso(to),
        }}
        filterControls={
          <>
            <TextInput
              aria-label={t('audit.entity')}
              placeholder={t('audit.entity')}
              value={entity}
              onChange={(e) => setEntity(e.currentTarget.value)}
              w={140}
            />
            <TextInput
              aria-label={t('audit.actorId')}
              placeholder={t('audit.actorId')}
              value={actor}
              onChange={(e) => setActor(e.currentTarget.value)}
              w={160}
            />
            <Select
              aria-label={t('audit.actionLabel')}
              placeholder={t('audit.actionLabel')}
              clearable
              data={Object.entries(ACTION_KEYS).map(([value, key]) => ({ value, label: t(key) }))}
              value={action}
              onChange={setAction}
              w={150}
            />
            <TextInput
              type="datetime-local"
              aria-label={t('audit.from')}
              title={t('audit.from')}
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
            />
            <TextInput
              type="datetime-local"
              aria-label={t('audit.to')}
              title={t('audit.to')}
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
            />
          </>
        }
      />
    </Stack>
  );
}

function ChainResult({ report }: { report: ChainReport }) {
  const { t } = useTranslation();
  return (
    <Alert color={report.ok ? 'green' : 'red'} title={report.ok ? t('audit.chainOk') : t('audit.chainBroken')} data-testid="chain-result">
      <Text size="sm">{t('audit.checked', { count: report.checked })}</Text>
      {report.unsealed.count > 0 && <Text size="sm">{t('audit.unsealed', { count: report.unsealed.count })}</Text>}
      {report.firstBroken && (
        <Text size="sm">
          {t('audit.firstBroken', { seq: report.firstBroken.seq })}: <Code>{report.firstBroken.problem}</Code> — {report.firstBroken.detail}
        </Text>
      )}
    </Alert>
  );
}
