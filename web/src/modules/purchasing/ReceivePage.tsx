import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Stepper,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowLeft, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page } from '../../api/client';
import { formatDecimal, isPositive, remaining } from '../../components/decimal';
import { formatDate } from '../../components/format';
import { RecordSelect } from '../../components/RecordSelect';
import { problemMessage } from '../../i18n';
import { Figure, OrderStatus } from './common';
import { type Posted, ReceiptDone, ReceiptForm } from './ReceiptForm';
import type { OrderLine, PurchaseOrder, Supplier } from './types';

type Stage = 'order' | 'line' | 'goods' | 'done';
const STAGES: Stage[] = ['order', 'line', 'goods', 'done'];

/**
 * Goods receipt at the dock, made for a 10-inch tablet: find the sent order, pick its line, enter
 * what arrived (quantity, supplier lot, dates, conditions, quarantine location, the CoA), post it
 * into quarantine, and see the receipt and the lot it created.
 */
export function ReceivePage() {
  const { t } = useTranslation();
  const [order, setOrder] = useState<PurchaseOrder | null>(null);
  const [line, setLine] = useState<OrderLine | null>(null);
  const [posted, setPosted] = useState<Posted | null>(null);
  // A new form (and so a new Idempotency-Key) for every receipt.
  const [formId, setFormId] = useState(() => crypto.randomUUID());
  const stage: Stage = posted ? 'done' : line ? 'goods' : order ? 'line' : 'order';

  const startOver = () => {
    setOrder(null);
    setLine(null);
    setPosted(null);
    setFormId(crypto.randomUUID());
  };
  const anotherLine = (po: PurchaseOrder) => {
    setOrder(po);
    setLine(null);
    setPosted(null);
    setFormId(crypto.randomUUID());
  };

  return (
    <Stack gap="lg" maw={1100} data-testid="receiving">
      <Title order={1} size="h2">
        {t('purchasing.receive.title')}
      </Title>
      <Stepper active={stage === 'done' ? STAGES.length : STAGES.indexOf(stage)} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label={t('purchasing.receive.stepOrder')} description={order?.number} />
        <Stepper.Step label={t('purchasing.receive.stepLine')} description={line ? `${line.lineNo} · ${line.item.code}` : undefined} />
        <Stepper.Step label={t('purchasing.receive.stepGoods')} />
        <Stepper.Step label={t('purchasing.receive.stepDone')} description={posted?.receipt.number} />
      </Stepper>
      {stage === 'order' && <FindOrder onPick={setOrder} />}
      {stage === 'line' && order && <PickLine order={order} onPick={setLine} onBack={startOver} />}
      {stage === 'goods' && order && line && (
        <ReceiptForm key={formId} order={order} line={line} onBack={() => setLine(null)} onPosted={setPosted} />
      )}
      {stage === 'done' && posted && order && (
        <ReceiptDone posted={posted} order={order} onAnotherLine={anotherLine} onStartOver={startOver} />
      )}
    </Stack>
  );
}

/** Only sent or partly received orders can take goods; others found by the same search say why not. */
function FindOrder({ onPick }: { onPick: (po: PurchaseOrder) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const filter = { q: q || undefined, supplierId: supplierId ?? undefined };
  const receivable = useQuery({
    queryKey: ['list', '/purchasing/orders', { ...filter, receivable: true }, 'receiving'],
    queryFn: ({ signal }) => get<Page<PurchaseOrder>>('/purchasing/orders', { ...filter, receivable: true, limit: 20 }, signal),
    placeholderData: keepPreviousData,
  });
  const searching = Boolean(q || supplierId);
  const others = useQuery({
    queryKey: ['list', '/purchasing/orders', filter, 'receiving-others'],
    queryFn: ({ signal }) => get<Page<PurchaseOrder>>('/purchasing/orders', { ...filter, limit: 5 }, signal),
    enabled: searching && receivable.data?.items.length === 0,
  });
  const orders = receivable.data?.items ?? [];

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          size="lg"
          label={t('purchasing.receive.orderNumber')}
          placeholder={t('purchasing.receive.orderNumberPlaceholder')}
          leftSection={<IconSearch size={20} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          autoFocus
          data-testid="order-search"
        />
        <RecordSelect<Supplier>
          size="lg"
          label={t('purchasing.orders.supplier')}
          placeholder={t('purchasing.orders.allSuppliers')}
          path="/suppliers"
          option={(s) => `${s.code} — ${s.name}`}
          value={supplierId}
          onChange={(id) => setSupplierId(id)}
        />
      </SimpleGrid>
      <Text c="dimmed" size="sm">
        {t('purchasing.receive.onlySent')}
      </Text>
      {receivable.isPending && <Loader />}
      {receivable.isError && <Alert color="red">{problemMessage(receivable.error)}</Alert>}
      {receivable.data && orders.length === 0 && (
        <Alert color="yellow" title={t('purchasing.receive.noOrders')} data-testid="no-receivable-orders">
          <Stack gap={4}>
            {(others.data?.items ?? []).map((po) => (
              <Text key={po.id} size="sm">
                {t('purchasing.receive.notReceivable', {
                  number: po.number,
                  supplier: po.supplier.code,
                  status: t(`purchasing.orderStatuses.${po.status}`),
                })}
              </Text>
            ))}
            {!others.data?.items.length && <Text size="sm">{t('purchasing.receive.noOrdersHelp')}</Text>}
          </Stack>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {orders.map((po) => (
          <UnstyledButton key={po.id} onClick={() => onPick(po)} className="mf-focusable" data-testid="receivable-order">
            <Card withBorder padding="md" radius="md" mih={96}>
              <Group justify="space-between" wrap="nowrap">
                <Text fw={700} size="lg">
                  {po.number}
                </Text>
                <OrderStatus status={po.status} />
              </Group>
              <Text>
                {po.supplier.code} — {po.supplier.name}
              </Text>
              <Text size="sm" c="dimmed" lineClamp={1}>
                {po.lines.map((l) => l.item.code).join(', ')}
              </Text>
            </Card>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/** The order's lines with what was ordered, what came and what may still come. */
function PickLine({ order, onPick, onBack }: { order: PurchaseOrder; onPick: (l: OrderLine) => void; onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Stack gap={0}>
          <Text fw={700} size="xl">
            {order.number}
          </Text>
          <Text>
            {order.supplier.code} — {order.supplier.name}
          </Text>
        </Stack>
        <Button variant="default" size="lg" leftSection={<IconArrowLeft size={20} />} onClick={onBack}>
          {t('purchasing.receive.otherOrder')}
        </Button>
      </Group>
      <Text c="dimmed">{t('purchasing.receive.pickLine')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {order.lines.map((l) => {
          const full = !isPositive(l.openQuantity);
          return (
            <UnstyledButton
              key={l.id}
              disabled={full}
              onClick={() => onPick(l)}
              className="mf-focusable"
              data-testid="receivable-line"
              aria-label={`${t('purchasing.lines.line', { n: l.lineNo })} ${l.item.code}`}
            >
              <Card withBorder padding="md" radius="md" mih={120} opacity={full ? 0.5 : 1}>
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={700} size="lg">
                    {l.lineNo} · {l.item.code}
                  </Text>
                  {full && <Badge color="teal">{t('purchasing.receive.lineComplete')}</Badge>}
                </Group>
                <Text size="sm" c="dimmed">
                  {l.item.name}
                </Text>
                <SimpleGrid cols={4} mt="xs" spacing="xs">
                  <Figure label={t('purchasing.lines.ordered')} value={formatDecimal(l.quantity, l.unit)} />
                  <Figure label={t('purchasing.lines.received')} value={formatDecimal(l.receivedQuantity, l.unit)} />
                  <Figure
                    label={t('purchasing.lines.open')}
                    value={formatDecimal(remaining(l.quantity, l.receivedQuantity), l.unit)}
                    strong
                  />
                  <Figure label={t('purchasing.lines.toleranceShort')} value={formatDecimal(l.overReceiptTolerancePct, '%')} />
                </SimpleGrid>
                <Group justify="space-between" mt="xs" gap="xs">
                  <Text size="sm">
                    {t('purchasing.lines.dueDate')}: {formatDate(l.dueDate)}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {t('purchasing.receive.upTo', { max: formatDecimal(l.openQuantity, l.unit) })}
                  </Text>
                </Group>
              </Card>
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
