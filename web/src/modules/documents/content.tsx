import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  FileButton,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  Typography,
} from '@mantine/core';
import { IconDownload, IconEye, IconTrash, IconUpload } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, put, upload } from '../../api/client';
import { formatDateTime } from '../../components/format';
import { problemMessage } from '../../i18n';
import { type DocumentDetail, type DocumentDiff, type DocumentFile, fileUrl, type TextChange } from './types';

/** The editor and its libraries load only when someone edits. */
const ContentEditor = lazy(() => import('./ContentEditor'));

export const refresh = (queryClient: ReturnType<typeof useQueryClient>, doc: DocumentDetail, updated?: DocumentDetail) => {
  if (updated) queryClient.setQueryData(['document', doc.id], updated);
  else void queryClient.invalidateQueries({ queryKey: ['document', doc.id] });
  void queryClient.invalidateQueries({ queryKey: ['audit', 'documents', doc.id] });
  void queryClient.invalidateQueries({ queryKey: ['signatures', 'documents', doc.id] });
};

/** The content as the server sanitised it: shown as HTML (the server's allow-list holds no script). */
function ContentView({ html }: { html: string }) {
  const { t } = useTranslation();
  if (!html) return <Text c="dimmed">{t('documents.content.empty')}</Text>;
  return (
    <Typography>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised on the server to an allow-list of tags and attributes */}
      <div data-testid="document-content" dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}

/** The revision's rich-text content: read, or edited while the revision is a draft. */
export function ContentTab({ doc, canWrite }: { doc: DocumentDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const editable = canWrite && doc.status === 'draft';
  if (editing && editable) {
    return (
      <Suspense fallback={<Loader aria-label={t('common.loading')} />}>
        <ContentEditor doc={doc} onDone={() => setEditing(false)} />
      </Suspense>
    );
  }
  return (
    <Stack gap="sm">
      {editable ? (
        <Group>
          <Button variant="light" onClick={() => setEditing(true)}>
            {t('documents.content.edit')}
          </Button>
        </Group>
      ) : (
        doc.status !== 'draft' && (
          <Text c="dimmed" size="sm">
            {t('documents.content.readOnly')}
          </Text>
        )
      )}
      <Paper withBorder p="md">
        <ContentView html={doc.contentHtml} />
      </Paper>
    </Stack>
  );
}

const size = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The files of the revision: attached and removed while draft, previewed (PDF, images) or downloaded. */
export function FilesTab({ doc, canWrite }: { doc: DocumentDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<DocumentFile | null>(null);
  const editable = canWrite && doc.status === 'draft';
  const attach = async (file: File | null) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await upload(`/documents/${doc.id}/files`, file);
      refresh(queryClient, doc);
    } catch (err) {
      setError(problemMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (f: DocumentFile) => {
    setError(null);
    try {
      await del(`/documents/${doc.id}/files/${f.id}`);
      refresh(queryClient, doc);
    } catch (err) {
      setError(problemMessage(err));
    }
  };
  return (
    <Stack gap="sm">
      {editable && (
        <Group>
          <FileButton onChange={attach} accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.doc,.xls,.ppt">
            {(props) => (
              <Button {...props} leftSection={<IconUpload size={16} />} loading={busy} variant="light">
                {t('documents.files.attach')}
              </Button>
            )}
          </FileButton>
          <Text size="sm" c="dimmed">
            {t('documents.files.accepted')}
          </Text>
        </Group>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {doc.files.length === 0 ? (
        <Text c="dimmed">{t('documents.files.none')}</Text>
      ) : (
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('documents.files.name')}</Table.Th>
              <Table.Th>{t('documents.files.type')}</Table.Th>
              <Table.Th>{t('documents.files.size')}</Table.Th>
              <Table.Th>{t('documents.files.sha256')}</Table.Th>
              <Table.Th>{t('documents.files.uploaded')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {doc.files.map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td>{f.fileName}</Table.Td>
                <Table.Td>{f.mediaType}</Table.Td>
                <Table.Td>{size(f.sizeBytes)}</Table.Td>
                <Table.Td>
                  <Text ff="monospace" size="xs" title={f.sha256}>
                    {f.sha256.slice(0, 16)}…
                  </Text>
                </Table.Td>
                <Table.Td>
                  {f.uploadedBy.name}, {formatDateTime(f.uploadedAt)}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {f.previewable && (
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('documents.files.preview', { name: f.fileName })}
                        onClick={() => setPreview(f)}
                      >
                        <IconEye size={16} />
                      </ActionIcon>
                    )}
                    <ActionIcon
                      variant="subtle"
                      component="a"
                      href={fileUrl(f, true)}
                      aria-label={t('documents.files.download', { name: f.fileName })}
                    >
                      <IconDownload size={16} />
                    </ActionIcon>
                    {editable && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('documents.files.remove', { name: f.fileName })}
                        onClick={() => remove(f)}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={preview !== null} onClose={() => setPreview(null)} title={preview?.fileName} size="xl">
        {preview &&
          (preview.mediaType === 'application/pdf' ? (
            <iframe
              data-testid="file-preview"
              title={preview.fileName}
              src={fileUrl(preview)}
              style={{ width: '100%', height: '70vh', border: 0 }}
            />
          ) : (
            <img data-testid="file-preview" src={fileUrl(preview)} alt={preview.fileName} style={{ maxWidth: '100%' }} />
          ))}
        {preview && (
          <Text size="xs" c="dimmed" mt="xs">
            SHA-256 {preview.sha256}
          </Text>
        )}
      </Modal>
    </Stack>
  );
}

function Changes({ changes }: { changes: TextChange[] }) {
  return (
    <Text component="div" style={{ whiteSpace: 'pre-wrap' }} data-testid="diff-content">
      {changes.map((c, i) =>
        c.op === 'insert' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the runs of a diff have no identity but their place
          <ins key={i} style={{ background: 'var(--mantine-color-green-1)', textDecoration: 'none' }}>
            {c.text}
          </ins>
        ) : c.op === 'delete' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the runs of a diff have no identity but their place
          <del key={i} style={{ background: 'var(--mantine-color-red-1)' }}>
            {c.text}
          </del>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the runs of a diff have no identity but their place
          <span key={i}>{c.text}</span>
        ),
      )}
    </Text>
  );
}

const FILE_COLOR = { added: 'green', removed: 'red', changed: 'orange', unchanged: 'gray' } as const;

/** What changed between this revision and another of the same document. */
export function CompareTab({ doc }: { doc: DocumentDetail }) {
  const { t } = useTranslation();
  const others = doc.revisions.filter((r) => r.id !== doc.id);
  const [against, setAgainst] = useState<string | null>(others[0]?.id ?? null);
  const diff = useQuery({
    queryKey: ['document-diff', doc.id, against, doc.version],
    queryFn: () => get<DocumentDiff>(`/documents/${doc.id}/diff`, { against }),
    enabled: against !== null,
  });
  if (others.length === 0) return <Text c="dimmed">{t('documents.diff.onlyRevision')}</Text>;
  return (
    <Stack gap="sm">
      <Select
        label={t('documents.diff.against')}
        data={others.map((r) => ({
          value: r.id,
          label: `${t('documents.rev', { revision: r.revision })} (${t(`documents.statuses.${r.status}`)})`,
        }))}
        value={against}
        onChange={setAgainst}
        allowDeselect={false}
        maw={320}
      />
      {diff.isError && <Alert color="red">{problemMessage(diff.error)}</Alert>}
      {diff.data && (
        <>
          <Text size="sm" data-testid="diff-summary">
            {t('documents.diff.summary', {
              from: diff.data.from.revision,
              to: diff.data.to.revision,
              inserted: diff.data.summary.insertedWords,
              deleted: diff.data.summary.deletedWords,
            })}
          </Text>
          {diff.data.title && (
            <Paper withBorder p="sm">
              <Text fw={500} size="sm">
                {t('documents.title')}
              </Text>
              <Changes changes={diff.data.title} />
            </Paper>
          )}
          <Paper withBorder p="sm">
            <Changes changes={diff.data.content} />
          </Paper>
          {diff.data.files.length > 0 && (
            <Table withTableBorder>
              <Table.Tbody>
                {diff.data.files.map((f) => (
                  <Table.Tr key={f.fileName}>
                    <Table.Td>{f.fileName}</Table.Td>
                    <Table.Td>
                      <Badge color={FILE_COLOR[f.change]} variant="light">
                        {t(`documents.diff.file.${f.change}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text ff="monospace" size="xs">
                        {(f.fromSha256 ?? '—').slice(0, 12)} → {(f.toSha256 ?? '—').slice(0, 12)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Anchor size="xs" c="dimmed" component="span">
            {t('documents.diff.legend')}
          </Anchor>
        </>
      )}
    </Stack>
  );
}

interface WorkCenterOption {
  id: string;
  code: string;
  name: string;
}

/** Who must have the document: roles and work centers, changed in a dialog by those who write documents. */
export function DistributionTab({ doc, canWrite }: { doc: DocumentDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [roles, setRoles] = useState<string[]>([]);
  const [workCenterIds, setWorkCenterIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const workCenters = useQuery({
    queryKey: ['list', '/work-centers', 'distribution'],
    queryFn: () => get<{ items: WorkCenterOption[] }>('/work-centers', { limit: 200 }),
    enabled: editing,
  });
  const open = () => {
    setRoles(doc.distribution.filter((d) => d.kind === 'role').map((d) => d.key));
    setWorkCenterIds(doc.distribution.filter((d) => d.kind === 'work_center').map((d) => d.key));
    setError(null);
    setEditing(true);
  };
  const save = async () => {
    try {
      const updated = await put<DocumentDetail>(`/documents/${doc.id}/distribution`, { roles, workCenterIds });
      refresh(queryClient, doc, updated);
      setEditing(false);
    } catch (err) {
      setError(problemMessage(err));
    }
  };
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('documents.distribution.help')}
      </Text>
      {canWrite && (
        <Group>
          <Button variant="light" onClick={open}>
            {t('documents.distribution.edit')}
          </Button>
        </Group>
      )}
      {doc.distribution.length === 0 ? (
        <Text c="dimmed">{t('documents.distribution.none')}</Text>
      ) : (
        <Table withTableBorder data-testid="distribution">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('documents.distribution.kind')}</Table.Th>
              <Table.Th>{t('documents.distribution.target')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {doc.distribution.map((d) => (
              <Table.Tr key={`${d.kind}:${d.key}`}>
                <Table.Td>{t(`documents.distributionKinds.${d.kind}`)}</Table.Td>
                <Table.Td>{d.label}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={editing} onClose={() => setEditing(false)} title={t('documents.distribution.edit')}>
        <Stack gap="sm">
          <TagsInput
            label={t('documents.distribution.roles')}
            description={t('documents.distribution.rolesHelp')}
            value={roles}
            onChange={setRoles}
            maxTags={50}
          />
          <MultiSelect
            label={t('documents.distribution.workCenters')}
            data={(workCenters.data?.items ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
            value={workCenterIds}
            onChange={setWorkCenterIds}
            searchable
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
            <Button onClick={save}>{t('common.save')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
