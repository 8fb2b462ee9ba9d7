import { Button, Group, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, currentSiteId, get } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/permissions';
import { inDays } from '../../app/screens';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDecimal, typedDecimal } from '../../components/decimal';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { formatDate } from '../../components/format';
import { RecordSelect } from '../../components/RecordSelect';
import i18n from '../../i18n';
import { type ItemOption, type RevisionOption, WO_STATUSES, type WorkOrder } from './types';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const columns: Column<WorkOrder>[] = [
  {
    key: 'number',
    labelKey: 'production.orders.number',
    render: (o) => (
      <AnchorLink to="/production/work-orders/$workOrderId" params={{ workOrderId: o.id }} style={NOWRAP}>
        {o.number}
      </AnchorLink>
    ),
    text: (o) => o.number,
  },
  { key: 'item', labelKey: 'production.orders.item', text: (o) => `${o.itemCode} · ${o.itemName}` },
  { key: 'revision', labelKey: 'production.orders.revision', text: (o) => o.revision },
  { key: 'quantity', labelKey: 'production.orders.quantity', text: (o) => formatDecimal(o.quantity, o.unit) },
  { key: 'status', labelKey: 'production.orders.status', text: (o) => i18n.t(`production.statuses.${o.status}`) },
  { key: 'due', labelKey: 'production.orders.due', text: (o) => formatDate(o.dueDate) },
];

/** Work orders: searched by number or item code, filtered by status; planners create new ones here. */
export function WorkOrdersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [status, setStatus] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('nav.workOrders')}
        </Title>
        {can(me, P.productionPlan) && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t('production.orders.new')}
          </Button>
        )}
      </Group>
      <DataTable<WorkOrder>
        id="production-work-orders"
        path="/production/work-orders"
        columns={columns}
        rowKey={(o) => o.id}
        filters={{ status: status ?? undefined }}
        filterControls={
          <Select
            aria-label={t('production.orders.status')}
            placeholder={t('production.orders.allStatuses')}
            clearable
            data={WO_STATUSES.map((s) => ({ value: s, label: t(`production.statuses.${s}`) }))}
            value={status}
            onChange={setStatus}
            w={200}
          />
        }
        emptyKey="production.orders.empty"
      />
      {creating && <NewWorkOrderDialog onClose={() => setCreating(false)} />}
    </Stack>
  );
}

/** A draft work order for the released revision of an item, at a site, due on a day. */
function NewWorkOrderDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [item, setItem] = useState<ItemOption | null>(null);
  const sites = useQuery({
    queryKey: ['sites'],
    queryFn: () => get<{ items: Array<{ id: string; code: string; name: string }> }>('/sites'),
    staleTime: 60_000,
  });
  const form = useSchemaForm(useRequestSchema('POST', '/production/work-orders'), {
    itemRevisionId: '',
    quantity: '',
    siteId: currentSiteId() ?? '',
    dueDate: inDays(14),
    notes: '',
    deviationId: null as string | null,
  });
  const revisions = useQuery({
    queryKey: ['items', item?.id, 'revisions'],
    queryFn: () => get<RevisionOption[]>(`/items/${item!.id}/revisions`),
    enabled: Boolean(item),
  });
  const releasedId = revisions.data?.find((r) => r.status === 'released')?.id ?? '';
  // The order is made for the revision in force: the item's released one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: set only when the released revision changes
  useEffect(() => form.set('itemRevisionId', releasedId), [releasedId]);
  const create = useMutation({
    mutationFn: (body: typeof form.values) => api<WorkOrder>('POST', '/production/work-orders', { body, idempotencyKey }),
    meta: { handlesErrors: true },
    onError: (err) => form.showProblem(err),
    onSuccess: (order) => {
      client.invalidateQueries({ queryKey: ['list', '/production/work-orders'] });
      navigate({ to: '/production/work-orders/$workOrderId', params: { workOrderId: order.id } });
    },
  });
  return (
    <FormModal
      title={t('production.orders.new')}
      size="lg"
      onClose={onClose}
      onSubmit={form.submit((body) => create.mutate(body))}
      save={{ error: create.error, isPending: create.isPending, placed: Object.keys(form.errors).length > 0 }}
      submitLabel={t('production.orders.create')}
    >
      <RecordSelect<ItemOption>
        label={t('production.orders.itemRevision')}
        description={t('production.orders.itemRevisionHint')}
        required
        path="/items"
        value={item?.id ?? null}
        onChange={(_, record) => {
          setItem(record);
          form.set('itemRevisionId', '');
          form.set('deviationId', null);
        }}
        option={(i) =>
          i.releasedRevision
            ? t('production.orders.revisionLabel', { code: i.code, revision: i.releasedRevision })
            : `${i.code} · ${i.name}`
        }
        error={form.errors.itemRevisionId}
        data-autofocus
      />
      <TextInput
        label={t('production.orders.quantity')}
        required
        inputMode="decimal"
        rightSection={item?.baseUnit}
        {...form.field('quantity')}
        onChange={(e) => form.set('quantity', typedDecimal(e.currentTarget.value))}
      />
      <Select
        label={t('production.orders.site')}
        required
        allowDeselect={false}
        data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))}
        {...form.field('siteId')}
      />
      <TextInput type="date" label={t('production.orders.due')} required {...form.field('dueDate')} />
      {item && (
        <RecordSelect<{ id: string; number: string; title: string; status: string }>
          label={t('production.orders.deviation')}
          description={t('production.orders.deviationHint')}
          path="/deviations"
          filters={{ itemId: item.id }}
          value={form.values.deviationId}
          onChange={(id) => form.set('deviationId', id)}
          option={(d) => `${d.number} · ${d.title} (${t(`deviations.statuses.${d.status}`)})`}
          error={form.errors.deviationId}
          clearable
        />
      )}
      <Textarea label={t('production.orders.notes')} autosize minRows={2} {...form.field('notes')} />
    </FormModal>
  );
}
