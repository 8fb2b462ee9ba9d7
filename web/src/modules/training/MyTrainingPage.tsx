import { Alert, Badge, Button, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page, post } from '../../api/client';
import { can, meQuery } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDate } from '../../components/format';
import { SignatureDialog } from '../../components/SignatureDialog';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';

export interface TrainingTask {
  id: string;
  userId: string;
  userName: string;
  documentId: string;
  documentNumber: string;
  revision: number;
  status: string;
  dueOn: string;
  overdue: boolean;
}

/** My open training tasks, soonest due first (overdue in red); each signed read-and-understood by me. */
export function MyTrainingPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const queryClient = useQueryClient();
  const tasks = useQuery({
    queryKey: ['list', '/training/my-tasks'],
    queryFn: () => get<Page<TrainingTask>>('/training/my-tasks', { limit: 200 }),
  });
  const [task, setTask] = useState<TrainingTask | null>(null);

  const sign = async (input: SignatureInput): Promise<Signature> => {
    const signed = await post<{ signature: Signature }>(`/training/tasks/${task!.id}/read-and-understood`, input);
    void queryClient.invalidateQueries({ queryKey: ['list', '/training/my-tasks'] });
    return signed.signature;
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.myTraining')}
      </Title>
      {tasks.isPending && <Loader aria-label={t('common.loading')} />}
      {tasks.isError && <Alert color="red">{problemMessage(tasks.error)}</Alert>}
      {tasks.data && tasks.data.items.length === 0 && <Text c="dimmed">{t('training.noTasks')}</Text>}
      {tasks.data && tasks.data.items.length > 0 && (
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('training.document')}</Table.Th>
              <Table.Th>{t('training.revision')}</Table.Th>
              <Table.Th>{t('training.dueOn')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.data.items.map((x) => (
              <Table.Tr key={x.id}>
                <Table.Td>
                  <AnchorLink to="/documents/$documentId" params={{ documentId: x.documentId }}>
                    {x.documentNumber}
                  </AnchorLink>
                </Table.Td>
                <Table.Td>{x.revision}</Table.Td>
                <Table.Td>
                  {formatDate(x.dueOn)}{' '}
                  {x.overdue && (
                    <Badge color="red" variant="light">
                      {t('training.standings.overdue')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {can(me, 'training:sign.trained') && (
                    <Button size="xs" variant="light" onClick={() => setTask(x)}>
                      {t('training.signRead')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {task && (
        <SignatureDialog
          opened
          onClose={() => setTask(null)}
          meaning="reviewed"
          recordLabel={t('training.readStatement', { document: `${task.documentNumber} rev ${task.revision}` })}
          totp={me.totpEnrolled}
          sign={sign}
        />
      )}
    </Stack>
  );
}
