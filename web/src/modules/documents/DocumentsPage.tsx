import { Badge, Select, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import i18n from '../../i18n';
import { type ControlledDocument, kindKey, STATUS_COLOR, statusKey } from './types';

const STATUSES = ['draft', 'in_review', 'approved', 'effective', 'obsolete'];
const KINDS = ['sop', 'work_instruction', 'form', 'specification', 'policy'];

const columns: Column<ControlledDocument>[] = [
  {
    key: 'number',
    labelKey: 'documents.number',
    render: (d) => (
      <AnchorLink to="/documents/$documentId" params={{ documentId: d.id }}>
        {d.number}
      </AnchorLink>
    ),
  },
  { key: 'revision', labelKey: 'documents.revision' },
  { key: 'title', labelKey: 'documents.title' },
  { key: 'kind', labelKey: 'documents.kind', text: (d) => i18n.t(kindKey(d.kind)) },
  {
    key: 'status',
    labelKey: 'documents.status',
    render: (d) => <DocumentStatus status={d.status} />,
    text: (d) => i18n.t(statusKey(d.status)),
  },
  { key: 'owner', labelKey: 'documents.owner', optional: true },
  { key: 'updatedAt', labelKey: 'documents.updatedAt', text: (d) => formatDateTime(d.updatedAt) },
];

export function DocumentStatus({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLOR[status] ?? 'gray'}>
      {t(statusKey(status))}
    </Badge>
  );
}

/** Controlled documents (SOPs, work instructions, forms…) by number and revision, with their lifecycle status. */
export function DocumentsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  const [kind, setKind] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.documents')}
      </Title>
      <DataTable<ControlledDocument>
        id="documents"
        path="/documents"
        columns={columns}
        rowKey={(d) => d.id}
        filters={{ status: status ?? undefined, kind: kind ?? undefined }}
        filterControls={
          <>
            <Select
              aria-label={t('documents.status')}
              placeholder={t('documents.allStatuses')}
              clearable
              data={STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
              value={status}
              onChange={setStatus}
              w={170}
            />
            <Select
              aria-label={t('documents.kind')}
              placeholder={t('documents.allKinds')}
              clearable
              data={KINDS.map((k) => ({ value: k, label: t(kindKey(k)) }))}
              value={kind}
              onChange={setKind}
              w={190}
            />
          </>
        }
      />
    </Stack>
  );
}
