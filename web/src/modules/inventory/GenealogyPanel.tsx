import { Alert, Button, Group, Loader, SegmentedControl, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { RecallAnswer } from '@server/modules/recall/contract';
import { RECALL_PERMISSIONS } from '@server/modules/recall/contract';
import { IconDownload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { can, useMe } from '../../auth/session';
import { PrintButton } from '../../components/PrintButton';
import { StatusBadge } from '../../components/StatusBadge';
import { problemMessage } from '../../i18n';
import { LotLink, LotStatusBadge } from './common';
import { type GenealogyRoot, GenealogyTree } from './GenealogyTree';
import type { Trace, TraceDirection } from './types';

const VIEWS = ['graph', 'table'] as const;
type View = (typeof VIEWS)[number];

/**
 * A lot's genealogy: where it was used (forward: the lots and serials it went into, at any depth)
 * and what it was made from (backward), as an expandable tree or a table, each direction
 * downloadable as CSV and both printable as one PDF.
 */
export function GenealogyPanel({ lot }: { lot: GenealogyRoot }) {
  const { t } = useTranslation();
  const [view, setView] = useState<View>('graph');
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <SegmentedControl
          aria-label={t('inventory.genealogy.view')}
          value={view}
          onChange={(v) => setView(v as View)}
          data={VIEWS.map((v) => ({ value: v, label: t(`inventory.genealogy.${v}`) }))}
        />
        <PrintButton path={`/inventory/lots/${lot.id}/genealogy/pdf`} />
      </Group>
      <Direction
        root={lot}
        view={view}
        direction="forward"
        title={t('inventory.genealogy.whereUsed')}
        empty={t('inventory.genealogy.noneForward')}
      />
      <CustomersReached lotId={lot.id} />
      <Direction
        root={lot}
        view={view}
        direction="backward"
        title={t('inventory.genealogy.madeFrom')}
        empty={t('inventory.genealogy.noneBackward')}
      />
    </Stack>
  );
}

function Direction({
  root,
  view,
  direction,
  title,
  empty,
}: {
  root: GenealogyRoot;
  view: View;
  direction: TraceDirection;
  title: string;
  empty: string;
}) {
  const { t, i18n } = useTranslation();
  const trace = useQuery({
    queryKey: ['inventory', 'lot', root.id, 'genealogy', direction],
    queryFn: () => get<Trace>(`/inventory/lots/${root.id}/genealogy/${direction}`),
  });
  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const hasLots = (trace.data?.lots.length ?? 0) > 0;
  return (
    <Stack gap="xs" data-testid={`genealogy-${direction}`}>
      <Group justify="space-between">
        <Title order={5}>{title}</Title>
        {hasLots && (
          <Tooltip label={t('inventory.genealogy.csvHelp')} withArrow>
            <Button
              component="a"
              href={`/api/v1/inventory/lots/${root.id}/genealogy/${direction}/csv?lang=${lang}`}
              download
              size="xs"
              variant="default"
              leftSection={<IconDownload size={14} aria-hidden />}
            >
              {t('inventory.genealogy.csv')}
            </Button>
          </Tooltip>
        )}
      </Group>
      {trace.isPending && <Loader size="sm" />}
      {trace.error && <Alert color="red">{problemMessage(trace.error)}</Alert>}
      {trace.data && !hasLots && <Text c="dimmed">{empty}</Text>}
      {trace.data?.truncated && (
        <Alert color="yellow" data-testid={`genealogy-${direction}-truncated`}>
          {t('inventory.genealogy.truncated', { count: trace.data.lots.length })}
        </Alert>
      )}
      {trace.data &&
        hasLots &&
        (view === 'graph' ? <GenealogyTree root={root} trace={trace.data} /> : <TraceTable root={root} trace={trace.data} />)}
    </Stack>
  );
}

/**
 * The end of the forward trace: the customers this lot, or anything made from it, was shipped to
 * (the recall query's answer from this lot), with counts. Shown to those who may run recall queries.
 */
function CustomersReached({ lotId }: { lotId: string }) {
  const me = useMe();
  const allowed = can(me, RECALL_PERMISSIONS.read);
  const { t } = useTranslation();
  const answer = useQuery({
    queryKey: ['recall', 'query', 'component_lot', lotId],
    queryFn: () => get<RecallAnswer>('/recalls/query', { kind: 'component_lot', lotId }),
    enabled: allowed,
  });
  if (!allowed) return null;
  return (
    <Stack gap="xs" data-testid="genealogy-customers">
      <Title order={5}>{t('inventory.genealogy.customersReached')}</Title>
      {answer.isPending && <Loader size="sm" />}
      {answer.error && <Alert color="red">{problemMessage(answer.error)}</Alert>}
      {answer.data && answer.data.customers.length === 0 && <Text c="dimmed">{t('recall.noCustomers')}</Text>}
      {answer.data && answer.data.customers.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('recall.customer')}</Table.Th>
                <Table.Th>{t('recall.contact')}</Table.Th>
                <Table.Th>{t('recall.addresses')}</Table.Th>
                <Table.Th>{t('recall.shipmentCount')}</Table.Th>
                <Table.Th>{t('recall.lotCount')}</Table.Th>
                <Table.Th>{t('recall.quantity')}</Table.Th>
                <Table.Th>{t('recall.returned')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {answer.data.customers.map((c) => (
                <Table.Tr key={c.customerId}>
                  <Table.Td>
                    {c.code} · {c.name}
                  </Table.Td>
                  <Table.Td>{c.contact || '—'}</Table.Td>
                  <Table.Td>{c.addresses.join('; ')}</Table.Td>
                  <Table.Td>{c.shipments}</Table.Td>
                  <Table.Td>{c.lots}</Table.Td>
                  <Table.Td>{c.quantity}</Table.Td>
                  <Table.Td>{c.returned}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** The trace nearest first: item, number, kind, status, level, the lot it was reached through, work order and supplier origin. */
function TraceTable({ root, trace }: { root: GenealogyRoot; trace: Trace }) {
  const { t } = useTranslation();
  const numbers = new Map(trace.lots.map((l) => [l.lotId, l.number]));
  const withOrigin = trace.lots.some((l) => l.supplier || l.supplierLot);
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inventory.genealogy.item')}</Table.Th>
            <Table.Th>{t('inventory.genealogy.lot')}</Table.Th>
            <Table.Th>{t('inventory.genealogy.kind')}</Table.Th>
            <Table.Th>{t('inventory.genealogy.status')}</Table.Th>
            <Table.Th>{t('inventory.genealogy.depth')}</Table.Th>
            <Table.Th>{t('inventory.genealogy.via')}</Table.Th>
            <Table.Th>{t('inventory.genealogy.workOrder')}</Table.Th>
            {withOrigin && <Table.Th>{t('inventory.genealogy.supplier')}</Table.Th>}
            {withOrigin && <Table.Th>{t('inventory.genealogy.supplierLot')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {trace.lots.map((l) => (
            <Table.Tr key={l.lotId}>
              <Table.Td>
                {l.itemCode} · {l.itemName}
              </Table.Td>
              <Table.Td>
                <LotLink lotId={l.lotId} strong>
                  {l.number}
                </LotLink>
              </Table.Td>
              <Table.Td>
                <span style={{ display: 'inline-block', minWidth: 'max-content' }}>
                  <StatusBadge prefix="inventory.lotKinds" value={l.kind} />
                </span>
              </Table.Td>
              <Table.Td>
                <LotStatusBadge status={l.status} />
              </Table.Td>
              <Table.Td>{l.depth}</Table.Td>
              <Table.Td>
                {l.viaLotId === root.id ? (
                  t('inventory.genealogy.direct')
                ) : (
                  <LotLink lotId={l.viaLotId}>{numbers.get(l.viaLotId) ?? l.viaLotId}</LotLink>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{l.workOrderNumber ?? '—'}</Table.Td>
              {withOrigin && <Table.Td>{l.supplier ? `${l.supplier.code} · ${l.supplier.name}` : '—'}</Table.Td>}
              {withOrigin && <Table.Td style={{ whiteSpace: 'nowrap' }}>{l.supplierLot ?? '—'}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
