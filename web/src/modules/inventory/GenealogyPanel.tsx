import { Alert, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { StatusBadge } from '../../components/StatusBadge';
import { problemMessage } from '../../i18n';
import { LotLink, LotStatusBadge } from './common';
import type { Trace, TraceDirection } from './types';

/**
 * A lot's genealogy: where it was used (forward: the lots and serials it went into, at any depth)
 * and what it was made from (backward), nearest first, each a link to that lot's page.
 */
export function GenealogyPanel({ lotId }: { lotId: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <TraceTable
        lotId={lotId}
        direction="forward"
        title={t('inventory.genealogy.whereUsed')}
        empty={t('inventory.genealogy.noneForward')}
      />
      <TraceTable
        lotId={lotId}
        direction="backward"
        title={t('inventory.genealogy.madeFrom')}
        empty={t('inventory.genealogy.noneBackward')}
      />
    </Stack>
  );
}

function TraceTable({ lotId, direction, title, empty }: { lotId: string; direction: TraceDirection; title: string; empty: string }) {
  const { t } = useTranslation();
  const trace = useQuery({
    queryKey: ['inventory', 'lot', lotId, 'genealogy', direction],
    queryFn: () => get<Trace>(`/inventory/lots/${lotId}/genealogy/${direction}`),
  });
  const numbers = new Map((trace.data?.lots ?? []).map((l) => [l.lotId, l.number]));
  return (
    <Stack gap="xs" data-testid={`genealogy-${direction}`}>
      <Title order={5}>{title}</Title>
      {trace.isPending && <Loader size="sm" />}
      {trace.error && <Alert color="red">{problemMessage(trace.error)}</Alert>}
      {trace.data && trace.data.lots.length === 0 && <Text c="dimmed">{empty}</Text>}
      {trace.data && trace.data.lots.length > 0 && (
        <>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('inventory.genealogy.depth')}</Table.Th>
                <Table.Th>{t('inventory.genealogy.lot')}</Table.Th>
                <Table.Th>{t('inventory.genealogy.kind')}</Table.Th>
                <Table.Th>{t('inventory.genealogy.item')}</Table.Th>
                <Table.Th>{t('inventory.genealogy.status')}</Table.Th>
                <Table.Th>{t('inventory.genealogy.via')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {trace.data.lots.map((l) => (
                <Table.Tr key={l.lotId}>
                  <Table.Td>{l.depth}</Table.Td>
                  <Table.Td>
                    <LotLink lotId={l.lotId} strong>
                      {l.number}
                    </LotLink>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge prefix="inventory.lotKinds" value={l.kind} />
                  </Table.Td>
                  <Table.Td>
                    {l.itemCode} · {l.itemName}
                  </Table.Td>
                  <Table.Td>
                    <LotStatusBadge status={l.status} />
                  </Table.Td>
                  <Table.Td>
                    {l.viaLotId === lotId ? (
                      t('inventory.genealogy.direct')
                    ) : (
                      <LotLink lotId={l.viaLotId}>{numbers.get(l.viaLotId) ?? l.viaLotId}</LotLink>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {trace.data.truncated && (
            <Text size="sm" c="dimmed">
              {t('inventory.genealogy.truncated', { count: trace.data.lots.length })}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
