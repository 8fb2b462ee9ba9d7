import { Badge, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import type { ControlledDocument } from './types';

const columns: Column<ControlledDocument>[] = [
  {
    key: 'number',
    labelKey: 'documents.number',
    sortable: true,
    render: (d) => (
      <AnchorLink to="/documents/$documentId" params={{ documentId: d.id }}>
        {d.number}
      </AnchorLink>
    ),
  },
  { key: 'title', labelKey: 'documents.title', sortable: true },
  { key: 'revision', labelKey: 'documents.revision' },
  { key: 'status', labelKey: 'documents.status', render: (d) => <Badge variant="light">{d.status}</Badge>, text: (d) => d.status },
  { key: 'updatedAt', labelKey: 'documents.updatedAt', sortable: true, text: (d) => formatDateTime(d.updatedAt) },
];

/** Controlled documents (SOPs, work instructions, specifications) with their lifecycle status. */
export function DocumentsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.documents')}
      </Title>
      <DataTable<ControlledDocument> id="documents" path="/documents" columns={columns} rowKey={(d) => d.id} />
    </Stack>
  );
}
