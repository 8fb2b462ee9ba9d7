import { ActionIcon, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page } from '../../api/client';
import { formatMoney, product, sumOf, typedDecimal } from '../../components/decimal';
import { RecordSelect } from '../../components/RecordSelect';
import type { Item, Named, SupplierApproval } from './types';

/** An order line as the API takes it; an optional field left empty is absent. */
export interface LineInput {
  itemId: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  dueDate: string;
  overReceiptTolerancePct?: string;
}

export const emptyLine = (): LineInput => ({ itemId: '', quantity: '', unit: '', unitPrice: '', dueDate: '' });

/** The item of a line as the order shows it, before the item record itself has loaded. */
export type KnownItem = Named & { id: string; baseUnit: string };

interface Props {
  lines: LineInput[];
  onChange: (lines: LineInput[]) => void;
  /** Field errors keyed like `lines.0.quantity`, from the schema or the server. */
  errors: Record<string, string>;
  currency: string;
  supplierId: string | null;
  /** Items of lines loaded from an order, so their pickers show them at once. */
  known?: KnownItem[];
}

/**
 * The lines of a draft order: item, quantity and unit, unit price, due date and over-receipt
 * tolerance, with each line's total and the order total computed exactly from the decimal
 * strings, and whether the supplier is on the approved supplier list for each item today.
 */
export function OrderLinesEditor({ lines, onChange, errors, currency, supplierId, known = [] }: Props) {
  const { t } = useTranslation();
  // Stable keys, so removing a line does not hand its picker's state to the next one.
  const [keys, setKeys] = useState(() => lines.map(() => crypto.randomUUID()));
  const approvals = useQuery({
    queryKey: ['purchasing', 'supplier-approvals', supplierId],
    queryFn: () => get<Page<SupplierApproval>>('/supplier-approvals', { supplierId, limit: 200 }),
    enabled: Boolean(supplierId),
  });
  const approvalOf = (itemId: string) => approvals.data?.items.find((a) => a.itemId === itemId);

  const setLine = (i: number, patch: Partial<LineInput>) => onChange(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const add = () => {
    setKeys([...keys, crypto.randomUUID()]);
    onChange([...lines, emptyLine()]);
  };
  const remove = (i: number) => {
    setKeys(keys.filter((_, j) => j !== i));
    onChange(lines.filter((_, j) => j !== i));
  };
  const totals = lines.map((l) => product(l.quantity, l.unitPrice));
  const total = sumOf(totals);
  const decimalBlur = (i: number, field: 'quantity' | 'unitPrice' | 'overReceiptTolerancePct') => () => {
    const value = lines[i]?.[field];
    if (value) setLine(i, { [field]: typedDecimal(value) });
  };

  return (
    <Stack gap="sm">
      {errors.lines && (
        <Text c="red" size="sm">
          {errors.lines}
        </Text>
      )}
      {lines.map((line, i) => {
        const err = (field: keyof LineInput) => errors[`lines.${i}.${field}`];
        const approval = line.itemId ? approvalOf(line.itemId) : undefined;
        return (
          <Paper key={keys[i]} withBorder p="sm" radius="md" data-testid="order-line">
            <Group justify="space-between" mb="xs">
              <Group gap="xs">
                <Text fw={600}>{t('purchasing.lines.line', { n: i + 1 })}</Text>
                {supplierId && line.itemId && !approvals.isPending && <AslBadge approval={approval} />}
              </Group>
              <Group gap="xs">
                <Text fw={600} data-testid="line-total">
                  {totals[i] === undefined ? '—' : formatMoney(totals[i], currency || '')}
                </Text>
                <Tooltip label={t('purchasing.lines.remove')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('purchasing.lines.remove')}
                    disabled={lines.length === 1}
                    onClick={() => remove(i)}
                  >
                    <IconTrash size={18} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            </Group>
            <SimpleGrid cols={{ base: 2, md: 3, xl: 6 }} spacing="sm">
              <RecordSelect<KnownItem>
                label={t('purchasing.lines.item')}
                required
                path="/items"
                filters={{ active: true }}
                option={(item) => `${item.code} — ${item.name}`}
                value={line.itemId || null}
                selected={known.find((k) => k.id === line.itemId)}
                error={err('itemId')}
                onChange={(id, item) => setLine(i, { itemId: id ?? '', unit: item?.baseUnit ?? '' })}
              />
              <TextInput
                label={t('purchasing.lines.quantity')}
                inputMode="decimal"
                required
                value={line.quantity}
                error={err('quantity')}
                onChange={(e) => setLine(i, { quantity: e.currentTarget.value })}
                onBlur={decimalBlur(i, 'quantity')}
              />
              <UnitSelect
                label={t('purchasing.lines.unit')}
                itemId={line.itemId}
                knownBaseUnit={known.find((k) => k.id === line.itemId)?.baseUnit}
                value={line.unit}
                error={err('unit')}
                onChange={(unit) => setLine(i, { unit })}
              />
              <TextInput
                label={currency ? t('purchasing.lines.unitPrice', { currency }) : t('purchasing.lines.unitPriceShort')}
                inputMode="decimal"
                required
                value={line.unitPrice}
                error={err('unitPrice')}
                onChange={(e) => setLine(i, { unitPrice: e.currentTarget.value })}
                onBlur={decimalBlur(i, 'unitPrice')}
              />
              <TextInput
                label={t('purchasing.lines.dueDate')}
                type="date"
                required
                value={line.dueDate}
                error={err('dueDate')}
                onChange={(e) => setLine(i, { dueDate: e.currentTarget.value })}
              />
              <TextInput
                label={t('purchasing.lines.tolerance')}
                title={t('purchasing.lines.toleranceHelp')}
                placeholder="0"
                inputMode="decimal"
                rightSection={<Text size="sm">%</Text>}
                value={line.overReceiptTolerancePct ?? ''}
                error={err('overReceiptTolerancePct')}
                onChange={(e) => setLine(i, { overReceiptTolerancePct: e.currentTarget.value })}
                onBlur={decimalBlur(i, 'overReceiptTolerancePct')}
              />
            </SimpleGrid>
          </Paper>
        );
      })}
      <Group justify="space-between">
        <Button variant="light" leftSection={<IconPlus size={16} />} onClick={add} disabled={lines.length >= 200}>
          {t('purchasing.lines.add')}
        </Button>
        <Group gap="xs">
          <Text c="dimmed">{t('purchasing.orders.total')}</Text>
          <Text fw={700} size="lg" data-testid="order-total">
            {total === undefined ? '—' : formatMoney(total, currency || '')}
          </Text>
        </Group>
      </Group>
    </Stack>
  );
}

/** Whether the supplier may supply the item today, from the approved supplier list. */
export function AslBadge({ approval }: { approval: SupplierApproval | undefined }) {
  const { t } = useTranslation();
  if (!approval) {
    return (
      <Badge color="red" variant="light">
        {t('purchasing.asl.none')}
      </Badge>
    );
  }
  const color = approval.approvedToday ? (approval.status === 'conditional' ? 'yellow' : 'green') : 'red';
  // Approved or conditional but past its expiry date: on the list, yet not purchasable today.
  const label =
    approval.approvedToday || approval.status === 'disqualified'
      ? t(`masterdata.approvalStatuses.${approval.status}`)
      : t('purchasing.asl.notToday');
  return (
    <Tooltip label={t(`masterdata.approvalStatuses.${approval.status}`)}>
      <Badge color={color} variant="light">
        {t('purchasing.asl.label')}: {label}
      </Badge>
    </Tooltip>
  );
}

/** The units an item can be ordered in: its base unit and those it converts from. */
function UnitSelect(props: {
  label: string;
  itemId: string;
  knownBaseUnit: string | undefined;
  value: string;
  error: string | undefined;
  onChange: (unit: string) => void;
}) {
  const item = useQuery({
    queryKey: ['purchasing', 'item', props.itemId],
    queryFn: () => get<Item>(`/items/${props.itemId}`),
    enabled: Boolean(props.itemId),
    staleTime: 60_000,
  });
  const units = item.data
    ? [item.data.baseUnit, ...item.data.conversions.map((c) => c.unit)]
    : [props.knownBaseUnit, props.value].filter((u): u is string => Boolean(u));
  return (
    <Select
      label={props.label}
      required
      data={[...new Set(units)]}
      value={props.value || null}
      error={props.error}
      allowDeselect={false}
      disabled={!props.itemId}
      onChange={(u) => props.onChange(u ?? '')}
    />
  );
}
