import { Anchor, Breadcrumbs, Group, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { P } from '../app/permissions';
import { can, meQuery } from '../auth/session';
import { HistoryTab } from './HistoryTab';
import { SignaturesTab } from './SignaturesTab';

/** The audited entity behind a record page, as the audit trail and signatures name it. */
export interface RecordRef {
  entity: string;
  id: string;
}

export interface RecordPageProps {
  /** Where the record's list lives, for the breadcrumb. */
  list: { to: string; labelKey: string };
  title: ReactNode;
  subtitle?: ReactNode;
  status?: ReactNode;
  /** Buttons for what can be done with the record now (lifecycle transitions, edits). */
  actions?: ReactNode;
  /** What a person must know before acting on the record (it is held, it expires), above the tabs. */
  notice?: ReactNode;
  /** The audited record; absent while it does not exist yet (a plan about to be made), which leaves out its history and signatures. */
  record?: RecordRef;
  details: ReactNode;
  /** Records linked to this one; the tab is left out when there are none to show. */
  related?: ReactNode;
  /** Whether this kind of record is signed; hides the signatures tab otherwise. */
  signed?: boolean;
  /**
   * What the signatures tab shows instead of the record's own signatures, where this kind of
   * record shows more (a lot, with the signatures of its adjustments, each said with what it signed).
   */
  signatures?: ReactNode;
  /** How many signatures that view shows, for the tab's label. */
  signatureCount?: number;
  /** Tabs of this kind of record, between its details and its history (a lot's movements). */
  tabs?: RecordTab[];
}

export interface RecordTab {
  value: string;
  labelKey: string;
  /** How many entries the tab holds, said in its label. */
  count?: number;
  panel: ReactNode;
}

/**
 * One record: header with status and actions, then tabs for its details, its history (the
 * audit trail with field diffs and an as-of view), its signatures and related records.
 */
export function RecordPage(props: RecordPageProps) {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const [tab, setTab] = useState<string | null>('details');
  // Tabs the person may read: the record's history and its signatures have permissions of their own.
  const record = props.record;
  const history = record && can(me, P.auditRecordRead);
  const signatures = record && props.signed && can(me, P.signaturesRead);
  const label = (labelKey: string, count?: number) => (count === undefined ? t(labelKey) : `${t(labelKey)} (${count})`);
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to={props.list.to}>
          {t(props.list.labelKey)}
        </Anchor>
        <Text>{props.title}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} size="h2">
              {props.title}
            </Title>
            {props.status}
          </Group>
          {props.subtitle && <Text c="dimmed">{props.subtitle}</Text>}
        </Stack>
        <Group gap="xs">{props.actions}</Group>
      </Group>
      {props.notice}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details">{t('record.details')}</Tabs.Tab>
          {props.tabs?.map((extra) => (
            <Tabs.Tab key={extra.value} value={extra.value}>
              {label(extra.labelKey, extra.count)}
            </Tabs.Tab>
          ))}
          {history && <Tabs.Tab value="history">{t('record.history')}</Tabs.Tab>}
          {signatures && <Tabs.Tab value="signatures">{label('record.signatures', props.signatureCount)}</Tabs.Tab>}
          {props.related && <Tabs.Tab value="related">{t('record.related')}</Tabs.Tab>}
        </Tabs.List>
        <Paper withBorder p="md" mt="sm" radius="md">
          <Tabs.Panel value="details">{props.details}</Tabs.Panel>
          {props.tabs?.map((extra) => (
            <Tabs.Panel key={extra.value} value={extra.value}>
              {extra.panel}
            </Tabs.Panel>
          ))}
          {history && (
            <Tabs.Panel value="history">
              <HistoryTab record={record} />
            </Tabs.Panel>
          )}
          {signatures && <Tabs.Panel value="signatures">{props.signatures ?? <SignaturesTab record={record} />}</Tabs.Panel>}
          {props.related && <Tabs.Panel value="related">{props.related}</Tabs.Panel>}
        </Paper>
      </Tabs>
    </Stack>
  );
}
