import { Alert, Button, Group, Pagination, Paper, SimpleGrid, Stack, Switch, Table, Text } from '@mantine/core';
import type { AffectedLot, ReachedCustomer, ReachedShipment, RecallAnswer } from '@server/modules/recall/contract';
import { IconDownload } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CsvColumn, saveCsv } from '../../components/csv';
import { formatDecimal } from '../../components/decimal';
import { formatDate } from '../../components/format';
import i18n from '../../i18n';
import { LotStatusBadge } from '../inventory/common';

/** One column of an answer's table: its header, its cell, and the same as plain text for CSV. */
interface AnswerColumn<T> {
  labelKey: string;
  text: (row: T) => string;
  render?: (row: T) => ReactNode;
}

const LOTS_PER_PAGE = 25;

function AnswerTable<T>(props: {
  columns: AnswerColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  emptyKey: string;
  /** The CSV file's name (a catalog key), when the table can be exported. */
  csvKey?: string;
  controls?: ReactNode;
  pageSize?: number;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const size = props.pageSize;
  const pages = size ? Math.max(1, Math.ceil(props.rows.length / size)) : 1;
  // A narrower filter (finished only) may leave fewer pages than the one shown.
  const current = Math.min(page, pages);
  const shown = size ? props.rows.slice((current - 1) * size, current * size) : props.rows;
  const csvKey = props.csvKey;
  const exportRows = () => {
    if (!csvKey) return;
    const columns: CsvColumn<T>[] = props.columns.map((c) => ({ header: t(c.labelKey), value: c.text }));
    saveCsv(props.rows, columns, `${t(csvKey)}-${new Date().toISOString().slice(0, 10)}.csv`);
  };
  return (
    <Stack gap="xs">
      {(props.controls || csvKey) && (
        <Group justify="space-between">
          <Group gap="sm">{props.controls}</Group>
          {csvKey && (
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={exportRows} disabled={!props.rows.length}>
              {t('recall.csv')}
            </Button>
          )}
        </Group>
      )}
      <Table.ScrollContainer minWidth={600}>
        <Table striped withTableBorder verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              {props.columns.map((c) => (
                <Table.Th key={c.labelKey} scope="col">
                  {t(c.labelKey)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((row) => (
              <Table.Tr key={props.rowKey(row)}>
                {props.columns.map((c) => (
                  <Table.Td key={c.labelKey} style={{ whiteSpace: 'pre-wrap' }}>
                    {c.render ? c.render(row) : c.text(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
            {shown.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={props.columns.length}>
                  <Text c="dimmed" ta="center" py="md">
                    {t(props.emptyKey)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && <Pagination total={pages} value={current} onChange={setPage} size="sm" />}
    </Stack>
  );
}

const yesNo = (value: boolean) => i18n.t(value ? 'common.yes' : 'common.no');

/** The customers an answer reached; `notifiedOn` adds when each was first notified (a recall's notices). */
export function CustomersTable({ customers, notifiedOn }: { customers: ReachedCustomer[]; notifiedOn?: Map<string, string> }) {
  const columns: AnswerColumn<ReachedCustomer>[] = [
    { labelKey: 'recall.customer', text: (c) => `${c.code} — ${c.name}` },
    { labelKey: 'recall.contact', text: (c) => c.contact },
    { labelKey: 'recall.addresses', text: (c) => c.addresses.join('\n') },
    { labelKey: 'recall.shipmentCount', text: (c) => String(c.shipments) },
    { labelKey: 'recall.lotCount', text: (c) => String(c.lots) },
    { labelKey: 'recall.quantity', text: (c) => formatDecimal(c.quantity) },
    { labelKey: 'recall.returned', text: (c) => formatDecimal(c.returned) },
    ...(notifiedOn ? [{ labelKey: 'recall.notifiedOn', text: (c: ReachedCustomer) => formatDate(notifiedOn.get(c.customerId)) }] : []),
  ];
  return (
    <AnswerTable
      columns={columns}
      rows={customers}
      rowKey={(c) => c.customerId}
      emptyKey="recall.noCustomers"
      csvKey="recall.customersCsv"
    />
  );
}

const lotColumns: AnswerColumn<AffectedLot>[] = [
  { labelKey: 'recall.depth', text: (l) => String(l.depth) },
  { labelKey: 'recall.item', text: (l) => `${l.itemCode} — ${l.itemName}` },
  { labelKey: 'recall.lot', text: (l) => l.number },
  {
    labelKey: 'recall.lotStatus',
    text: (l) => i18n.t(`inventory.lotStatuses.${l.status}`),
    render: (l) => <LotStatusBadge status={l.status} />,
  },
  { labelKey: 'recall.finished', text: (l) => yesNo(l.finished) },
  { labelKey: 'recall.onHand', text: (l) => formatDecimal(l.onHand) },
  { labelKey: 'recall.locations', text: (l) => l.locations.join(', ') },
  { labelKey: 'recall.shipped', text: (l) => formatDecimal(l.shipped) },
];

/** Every lot and serial of an answer, by level, a page at a time; the finished ones alone at a switch. */
export function LotsTable({ lots }: { lots: AffectedLot[] }) {
  const { t } = useTranslation();
  const [finishedOnly, setFinishedOnly] = useState(false);
  const rows = finishedOnly ? lots.filter((l) => l.finished) : lots;
  return (
    <AnswerTable
      columns={lotColumns}
      rows={rows}
      rowKey={(l) => l.lotId}
      emptyKey="recall.noLots"
      csvKey="recall.lotsCsv"
      pageSize={LOTS_PER_PAGE}
      controls={
        <Switch label={t('recall.onlyFinished')} checked={finishedOnly} onChange={(e) => setFinishedOnly(e.currentTarget.checked)} />
      }
    />
  );
}

const shipmentColumns: AnswerColumn<ReachedShipment>[] = [
  { labelKey: 'recall.shipment', text: (s) => s.shipmentNumber },
  { labelKey: 'recall.shippedOn', text: (s) => formatDate(s.shippedOn) },
  { labelKey: 'recall.customer', text: (s) => `${s.customerCode} — ${s.customerName}` },
  { labelKey: 'recall.shipTo', text: (s) => s.shipToText },
  { labelKey: 'recall.lot', text: (s) => s.lotNumber },
  { labelKey: 'recall.quantity', text: (s) => formatDecimal(s.quantity) },
  { labelKey: 'recall.returned', text: (s) => formatDecimal(s.returned) },
];

export function ShipmentsTable({ shipments }: { shipments: ReachedShipment[] }) {
  return (
    <AnswerTable
      columns={shipmentColumns}
      rows={shipments}
      rowKey={(s) => s.salesRecordId}
      emptyKey="recall.noShipments"
      pageSize={LOTS_PER_PAGE}
    />
  );
}

/** What an answer adds up to, one card per figure, and whether the trace stopped short. */
export function AnswerTotals({ answer }: { answer: RecallAnswer }) {
  const { t } = useTranslation();
  const cards: Array<[string, string]> = [
    ['recall.lotsTitle', String(answer.totals.lots)],
    ['recall.affectedFinished', String(answer.totals.finishedLots)],
    ['recall.inStock', formatDecimal(answer.totals.inStock)],
    ['recall.shipped', formatDecimal(answer.totals.shipped)],
    ['recall.customersTitle', String(answer.totals.customers)],
    ['recall.holdable', String(answer.totals.holdable)],
  ];
  return (
    <Stack gap="sm">
      {answer.truncated && <Alert color="orange">{t('recall.truncated')}</Alert>}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        {cards.map(([key, value]) => (
          <Paper key={key} withBorder p="sm" radius="md" data-total={key.slice('recall.'.length)}>
            <Text size="xs" c="dimmed">
              {t(key)}
            </Text>
            <Text fw={700} size="xl">
              {value}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
