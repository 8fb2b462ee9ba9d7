import { Alert, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { can, meQuery } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { FormModal } from '../../components/FormModal';
import { formatDateTime } from '../../components/format';
import { RecordSelect } from '../../components/RecordSelect';
import { problemMessage } from '../../i18n';

interface Requirement {
  id: string;
  documentId: string;
  documentNumber: string;
  roleName: string | null;
  workCenterId: string | null;
  createdBy: string;
  createdAt: string;
}

interface Option {
  id: string;
  code?: string;
  number?: string;
  name?: string;
  title?: string;
}

const KEY = ['training', 'requirements'];

/** Who must train on which document: by role, by work center, or both; set and retired by training managers. */
export function RequirementsPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: KEY, queryFn: () => get<Requirement[]>('/training/requirements') });
  const [adding, setAdding] = useState(false);
  const retire = useMutation({
    mutationFn: (id: string) => post(`/training/requirements/${id}/retire`, {}),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: KEY }),
  });
  const manage = can(me, 'training:manage');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('nav.trainingRequirements')}
        </Title>
        {manage && <Button onClick={() => setAdding(true)}>{t('training.addRequirement')}</Button>}
      </Group>
      {list.isPending && <Loader aria-label={t('common.loading')} />}
      {list.isError && <Alert color="red">{problemMessage(list.error)}</Alert>}
      {list.data?.length === 0 && <Text c="dimmed">{t('training.noRequirements')}</Text>}
      {!!list.data?.length && (
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('training.document')}</Table.Th>
              <Table.Th>{t('training.role')}</Table.Th>
              <Table.Th>{t('training.workCenter')}</Table.Th>
              <Table.Th>{t('training.setBy')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <AnchorLink to="/documents/$documentId" params={{ documentId: r.documentId }}>
                    {r.documentNumber}
                  </AnchorLink>
                </Table.Td>
                <Table.Td>{r.roleName ?? ''}</Table.Td>
                <Table.Td>
                  {r.workCenterId && (
                    <AnchorLink to="/work-centers/$workCenterId" params={{ workCenterId: r.workCenterId }}>
                      {t('training.workCenter')}
                    </AnchorLink>
                  )}
                </Table.Td>
                <Table.Td>
                  {r.createdBy} · {formatDateTime(r.createdAt)}
                </Table.Td>
                <Table.Td>
                  {manage && (
                    <Button size="xs" variant="subtle" color="red" loading={retire.isPending} onClick={() => retire.mutate(r.id)}>
                      {t('training.retire')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {adding && <RequirementForm onClose={() => setAdding(false)} />}
    </Stack>
  );
}

function RequirementForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [workCenterId, setWorkCenterId] = useState<string | null>(null);
  const [roleName, setRoleName] = useState('');
  const save = useMutation({
    mutationFn: () =>
      post('/training/requirements', {
        documentId,
        ...(roleName.trim() ? { roleName: roleName.trim() } : {}),
        ...(workCenterId ? { workCenterId } : {}),
      }),
    meta: { handlesErrors: true },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: KEY });
      onClose();
    },
  });
  return (
    <FormModal
      title={t('training.addRequirement')}
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      save={save}
      submitLabel={t('training.addRequirement')}
      submitDisabled={!documentId || (!roleName.trim() && !workCenterId)}
    >
      <Stack>
        <RecordSelect<Option>
          label={t('training.document')}
          path="/documents"
          filters={{ status: 'effective' }}
          option={(d) => `${d.number} — ${d.title}`}
          value={documentId}
          onChange={(id) => setDocumentId(id)}
          required
          data-autofocus
        />
        <TextInput
          label={t('training.role')}
          description={t('training.roleHelp')}
          maxLength={100}
          value={roleName}
          onChange={(e) => setRoleName(e.currentTarget.value)}
        />
        <RecordSelect<Option>
          label={t('training.workCenter')}
          path="/work-centers"
          option={(w) => `${w.code} — ${w.name}`}
          value={workCenterId}
          onChange={(id) => setWorkCenterId(id)}
          clearable
        />
      </Stack>
    </FormModal>
  );
}
