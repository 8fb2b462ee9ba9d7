import { Alert, Badge, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { formatDate } from '../../components/format';
import { problemMessage } from '../../i18n';

interface Matrix {
  documents: Array<{ documentId: string; documentNumber: string; revision: number }>;
  people: Array<{ userId: string; name: string; cells: Array<{ documentNumber: string; standing: string; dueOn: string | null }> }>;
}

const COLOR: Record<string, string> = { trained: 'green', due: 'yellow', overdue: 'red', not_required: 'gray' };

/** People × documents in force with training requirements: trained, due, overdue (red), not required. */
export function MatrixPage() {
  const { t } = useTranslation();
  const matrix = useQuery({ queryKey: ['training', 'matrix'], queryFn: () => get<Matrix>('/training/matrix') });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.trainingMatrix')}
      </Title>
      {matrix.isPending && <Loader aria-label={t('common.loading')} />}
      {matrix.isError && <Alert color="red">{problemMessage(matrix.error)}</Alert>}
      {matrix.data && matrix.data.documents.length === 0 && <Text c="dimmed">{t('training.noRequirements')}</Text>}
      {matrix.data && matrix.data.documents.length > 0 && (
        <Table withTableBorder striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('training.person')}</Table.Th>
              {matrix.data.documents.map((d) => (
                <Table.Th key={d.documentId}>
                  {d.documentNumber} · {t('training.rev', { revision: d.revision })}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {matrix.data.people.map((p) => (
              <Table.Tr key={p.userId}>
                <Table.Td>{p.name}</Table.Td>
                {p.cells.map((c) => (
                  <Table.Td key={c.documentNumber}>
                    <Badge color={COLOR[c.standing] ?? 'gray'} variant={c.standing === 'overdue' ? 'filled' : 'light'}>
                      {t(`training.standings.${c.standing}`)}
                    </Badge>
                    {c.dueOn && c.standing !== 'trained' && (
                      <Text size="xs" c={c.standing === 'overdue' ? 'red' : 'dimmed'}>
                        {formatDate(c.dueOn)}
                      </Text>
                    )}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
