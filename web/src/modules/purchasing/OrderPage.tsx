import { Alert, Badge, Button, Group, Loader, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, get, type Page } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { formatDecimal, formatMoney, isZero, remaining } from '../../components/decimal';
import { FormModal, ReasonInput } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { formatDate, formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { notifySuccess } from '../../components/notify';
import { PrintButton } from '../../components/PrintButton';
import { RecordPage } from '../../components/RecordPage';
import { SignatureDialog } from '../../components/SignatureDialog';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';
import { LotLink } from '../inventory/common';
import { OrderStatus, useActionKey } from './common';
import { AslBadge, type LineInput, OrderLinesEditor } from './OrderLinesEditor';
import { placeProblem, purchasingProblem } from './problems';
import type { OrderDetail, PoStatus, PurchaseOrder, Receipt, SupplierApproval } from './types';

/** The steps a person takes from the order page; receiving moves the order by itself. */
const STEPS: Partial<Record<PoStatus, { labelKey: string; color: string; permission: string; reasonRequired?: boolean }>> = {
  approved: { labelKey: 'purchasing.steps.approve', color: 'green', permission: P.purchasingSignApproved },
  sent: { labelKey: 'purchasing.steps.send', color: 'blue', permission: P.purchasingWrite },
  closed: { labelKey: 'purchasing.steps.close', color: 'gray', permission: P.purchasingWrite },
  cancelled: { labelKey: 'purchasing.steps.cancel', color: 'red', permission: P.purchasingWrite, reasonRequired: true },
};

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const orderKey = (id: string) => ['purchasing', 'order', id];

/** A purchase order: lines with what has come, totals, its life cycle, receipts, signatures and history. */
export function OrderPage() {
  const { t } = useTranslation();
  const { orderId } = useParams({ from: '/app/purchasing/orders/$orderId' });
  const me = useMe();
  const queryClient = useQueryClient();
  const order = useQuery({ queryKey: orderKey(orderId), queryFn: () => get<OrderDetail>(`/purchasing/orders/${orderId}`) });
  const [step, setStep] = useState<PoStatus | null>(null);
  const [editing, setEditing] = useState(false);

  if (order.isPending) return <Loader aria-label={t('common.loading')} />;
  if (order.isError) return <Alert color="red">{problemMessage(order.error)}</Alert>;
  const po = order.data;
  const label = `${po.number} — ${po.supplier.code} ${po.supplier.name}`;

  /** After a step: the order as the server now has it, with its signatures and trail. */
  const refresh = async (): Promise<OrderDetail> => {
    const fresh = await get<OrderDetail>(`/purchasing/orders/${po.id}`);
    queryClient.setQueryData(orderKey(po.id), fresh);
    queryClient.setQueryData(['signatures', 'purchase_orders', po.id], { items: fresh.signatures });
    void queryClient.invalidateQueries({ queryKey: ['audit', 'purchase_orders', po.id] });
    void queryClient.invalidateQueries({ queryKey: ['list', '/purchasing/orders'] });
    return fresh;
  };
  const approve = async (input: SignatureInput): Promise<Signature> => {
    try {
      await api<PurchaseOrder>('POST', `/purchasing/orders/${po.id}/approve`, { body: input });
    } catch (err) {
      // The supplier check comes before the signature: say which items and lines it refused.
      if (err instanceof ApiError && err.problem.code === 'error.purchasing.supplierNotApproved') throw new Error(purchasingProblem(err));
      throw err;
    }
    const fresh = await refresh();
    const signature = fresh.signatures.find((s) => !po.signatures.some((before) => before.id === s.id));
    if (!signature) throw new Error(t('signature.missing'));
    return signature;
  };

  const steps = po.allowedTransitions.filter((to) => STEPS[to] && can(me, STEPS[to].permission));
  const editable = po.status === 'draft' && can(me, P.purchasingWrite);
  return (
    <>
      <RecordPage
        list={{ to: '/purchasing/orders', labelKey: 'nav.purchaseOrders' }}
        title={po.number}
        subtitle={`${po.supplier.code} — ${po.supplier.name}`}
        status={<OrderStatus status={po.status} />}
        record={{ entity: 'purchase_orders', id: po.id }}
        signed
        actions={[
          ...steps.map((to) => (
            <Button key={to} variant="light" color={STEPS[to]!.color} onClick={() => setStep(to)}>
              {t(STEPS[to]!.labelKey)}
            </Button>
          )),
          <PrintButton key="print" path={`/purchasing/orders/${po.id}/pdf`} />,
        ]}
        details={
          <Stack gap="md">
            {po.signatures.map((s) => (
              <Manifestation key={s.id} signature={s} />
            ))}
            <Details
              rows={[
                ['purchasing.orders.supplier', `${po.supplier.code} — ${po.supplier.name}`],
                ['purchasing.orders.site', `${po.site.code} — ${po.site.name}`],
                ['purchasing.orders.currency', po.currency],
                [
                  'purchasing.orders.total',
                  <Text key="total" fw={700} data-testid="order-total">
                    {formatMoney(po.total, po.currency)}
                  </Text>,
                ],
                ['purchasing.orders.createdAt', formatDateTime(po.createdAt)],
                ['purchasing.orders.createdBy', po.createdBy?.name ?? null],
                ['purchasing.orders.notes', po.notes],
              ]}
            />
            {po.status === 'draft' && <AslWarning po={po} />}
            {po.status === 'draft' && po.createdBy?.id === me.id && can(me, P.purchasingSignApproved) && (
              // Said before anyone tries: the server refuses the creator's approval (separation of duties).
              <Alert color="yellow" title={t('purchasing.steps.creatorCannotApproveTitle')} data-testid="sod-notice">
                {t('purchasing.steps.creatorCannotApprove', { number: po.number })}
              </Alert>
            )}
            {editing ? (
              <EditDraft po={po} onDone={() => setEditing(false)} />
            ) : (
              <>
                <Group justify="space-between">
                  <Title order={2} size="h4">
                    {t('purchasing.lines.title')}
                  </Title>
                  {editable && (
                    <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
                      {t('purchasing.lines.edit')}
                    </Button>
                  )}
                </Group>
                <LinesTable po={po} />
              </>
            )}
            <Title order={2} size="h4">
              {t('purchasing.receipts.title')}
            </Title>
            <OrderReceipts poId={po.id} />
          </Stack>
        }
      />
      {step === 'approved' && (
        <SignatureDialog
          opened
          onClose={() => setStep(null)}
          meaning="approved"
          recordLabel={label}
          totp={me.totpEnrolled}
          sign={approve}
        />
      )}
      {step && step !== 'approved' && (
        <StepDialog
          label={label}
          to={step}
          onClose={() => setStep(null)}
          onDone={async () => {
            await refresh();
            setStep(null);
          }}
          po={po}
        />
      )}
    </>
  );
}

function LinesTable({ po }: { po: OrderDetail }) {
  const { t } = useTranslation();
  const approvals = useSupplierApprovals(po.status === 'draft' ? po.supplierId : null);
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped withTableBorder verticalSpacing="xs" data-testid="order-lines">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('purchasing.lines.item')}</Table.Th>
            <Table.Th ta="right">{t('purchasing.lines.quantity')}</Table.Th>
            <Table.Th ta="right">{t('purchasing.lines.unitPriceShort')}</Table.Th>
            <Table.Th ta="right">{t('purchasing.lines.total')}</Table.Th>
            <Table.Th>{t('purchasing.lines.dueDate')}</Table.Th>
            <Table.Th ta="right">{t('purchasing.lines.toleranceShort')}</Table.Th>
            <Table.Th ta="right">{t('purchasing.lines.received')}</Table.Th>
            <Table.Th ta="right">{t('purchasing.lines.open')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {po.lines.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>{l.lineNo}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Stack gap={0}>
                    <Text size="sm">{l.item.code}</Text>
                    <Text size="xs" c="dimmed">
                      {l.item.name}
                    </Text>
                  </Stack>
                  {approvals.data && (
                    <div style={{ width: 'max-content' }}>
                      <AslBadge approval={approvals.data.find((a) => a.itemId === l.itemId)} />
                    </div>
                  )}
                </Group>
              </Table.Td>
              <Table.Td ta="right" style={NOWRAP}>
                {formatDecimal(l.quantity, l.unit)}
              </Table.Td>
              <Table.Td ta="right" style={NOWRAP}>
                {formatMoney(l.unitPrice, po.currency)}
              </Table.Td>
              <Table.Td ta="right" style={NOWRAP}>
                {formatMoney(l.lineTotal, po.currency)}
              </Table.Td>
              <Table.Td style={NOWRAP}>{formatDate(l.dueDate)}</Table.Td>
              <Table.Td ta="right" style={NOWRAP}>
                {formatDecimal(l.overReceiptTolerancePct, '%')}
              </Table.Td>
              <Table.Td ta="right" style={NOWRAP}>
                {formatDecimal(l.receivedQuantity, l.unit)}
              </Table.Td>
              <Table.Td ta="right" style={NOWRAP}>
                {formatDecimal(remaining(l.quantity, l.receivedQuantity), l.unit)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th colSpan={4} ta="right">
              {t('purchasing.orders.total')}
            </Table.Th>
            <Table.Th ta="right" style={NOWRAP}>
              {formatMoney(po.total, po.currency)}
            </Table.Th>
            <Table.Th colSpan={4} />
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

function useSupplierApprovals(supplierId: string | null) {
  return useQuery({
    queryKey: ['purchasing', 'supplier-approvals', supplierId],
    queryFn: () => get<Page<SupplierApproval>>('/supplier-approvals', { supplierId, limit: 200 }),
    enabled: Boolean(supplierId),
    select: (page) => page.items,
  });
}

/** Before anyone signs: which line items the supplier may not supply today. */
function AslWarning({ po }: { po: OrderDetail }) {
  const { t } = useTranslation();
  const approvals = useSupplierApprovals(po.supplierId);
  if (!approvals.data) return null;
  const refused = po.lines.filter((l) => !approvals.data.some((a) => a.itemId === l.itemId && a.approvedToday));
  if (refused.length === 0) return null;
  return (
    <Alert color="orange" title={t('purchasing.asl.warningTitle')} data-testid="asl-warning">
      {t('purchasing.asl.warning', {
        supplier: po.supplier.code,
        items: [...new Set(refused.map((l) => l.item.code))].join(', '),
        lines: refused.map((l) => l.lineNo).join(', '),
      })}
    </Alert>
  );
}

interface DraftChanges {
  [key: string]: unknown;
  currency: string;
  notes: string;
  lines: LineInput[];
}

/** Changes the lines of a draft with the version it was read at, so no change is lost. */
function EditDraft({ po, onDone }: { po: OrderDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useSchemaForm<DraftChanges>(useRequestSchema('PATCH', '/purchasing/orders/:id'), {
    currency: po.currency,
    notes: po.notes ?? '',
    lines: po.lines.map((l) => ({
      itemId: l.itemId,
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: l.unitPrice,
      dueDate: l.dueDate,
      ...(!isZero(l.overReceiptTolerancePct) ? { overReceiptTolerancePct: l.overReceiptTolerancePct } : {}),
    })),
  });
  const save = useMutation({
    mutationFn: ({ notes, ...rest }: DraftChanges) =>
      api<PurchaseOrder>('PATCH', `/purchasing/orders/${po.id}`, { body: { ...rest, notes: notes || null }, version: po.version }),
    meta: { handlesErrors: true },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: orderKey(po.id) });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'purchase_orders', po.id] });
      void queryClient.invalidateQueries({ queryKey: ['list', '/purchasing/orders'] });
      notifySuccess(t('common.saved'));
      onDone();
    },
    onError: (err) => placeProblem(form, err),
  });
  const stale = save.error instanceof ApiError && save.error.status === 412;
  return (
    <form noValidate onSubmit={form.submit((body) => save.mutate(body))}>
      <Stack>
        <Title order={2} size="h4">
          {t('purchasing.lines.edit')}
        </Title>
        {save.error && !Object.keys(form.errors).length && (
          <Alert color="red" role="alert">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{purchasingProblem(save.error)}</Text>
              {stale && (
                <Button size="xs" variant="light" onClick={() => queryClient.invalidateQueries({ queryKey: orderKey(po.id) }).then(onDone)}>
                  {t('purchasing.orders.reload')}
                </Button>
              )}
            </Stack>
          </Alert>
        )}
        <Textarea label={t('purchasing.orders.notes')} autosize minRows={2} {...form.field('notes')} />
        <OrderLinesEditor
          lines={form.values.lines}
          onChange={(lines) => form.set('lines', lines)}
          errors={form.errors}
          currency={form.values.currency}
          supplierId={po.supplierId}
          known={po.lines.map((l) => ({ id: l.itemId, ...l.item }))}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Send, close or cancel (with the reason the trail keeps); one Idempotency-Key per opened dialog. */
function StepDialog(props: { label: string; to: PoStatus; po: OrderDetail; onClose: () => void; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const [idempotencyKey] = useActionKey();
  const step = STEPS[props.to]!;
  const run = useMutation({
    mutationFn: () =>
      api<PurchaseOrder>('POST', `/purchasing/orders/${props.po.id}/transitions`, {
        body: { to: props.to, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        idempotencyKey,
      }),
    meta: { handlesErrors: true },
    onSuccess: props.onDone,
  });
  return (
    <FormModal
      title={t(step.labelKey)}
      onClose={props.onClose}
      onSubmit={(e) => {
        e.preventDefault();
        run.mutate();
      }}
      save={run}
      problem={purchasingProblem}
      submitLabel={t(step.labelKey)}
      submitColor={step.color}
      submitDisabled={step.reasonRequired && !comment.trim()}
      lead={
        <>
          <Text fw={600}>{props.label}</Text>
          <Text size="sm">{t(`purchasing.steps.${props.to}Help`)}</Text>
        </>
      }
    >
      <ReasonInput required={step.reasonRequired} data-autofocus value={comment} onChange={setComment} />
    </FormModal>
  );
}

/** What has been received against the order, each receipt with the lot it created. */
function OrderReceipts({ poId }: { poId: string }) {
  const { t } = useTranslation();
  const receipts = useQuery({
    queryKey: ['purchasing', 'receipts', poId],
    queryFn: () => get<{ items: Receipt[] }>('/purchasing/receipts', { poId }),
  });
  if (receipts.isPending) return <Loader size="sm" />;
  if (receipts.isError) return <Alert color="red">{problemMessage(receipts.error)}</Alert>;
  if (receipts.data.items.length === 0) return <Text c="dimmed">{t('purchasing.receipts.none')}</Text>;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped withTableBorder verticalSpacing="xs" data-testid="order-receipts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('purchasing.receipts.number')}</Table.Th>
            <Table.Th>{t('purchasing.receipts.line')}</Table.Th>
            <Table.Th ta="right">{t('purchasing.receipts.quantity')}</Table.Th>
            <Table.Th>{t('purchasing.receipts.supplierLot')}</Table.Th>
            <Table.Th>{t('purchasing.receipts.lot')}</Table.Th>
            <Table.Th>{t('purchasing.receipts.receivedAt')}</Table.Th>
            <Table.Th>{t('purchasing.receipts.delivery')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {receipts.data.items.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <AnchorLink to="/purchasing/receipts/$receiptId" params={{ receiptId: r.id }}>
                  {r.number}
                </AnchorLink>
              </Table.Td>
              <Table.Td>
                {r.lineNo} · {r.item.code}
              </Table.Td>
              <Table.Td ta="right" style={NOWRAP}>
                {formatDecimal(r.quantity, r.unit)}
              </Table.Td>
              <Table.Td>{r.supplierLot}</Table.Td>
              <Table.Td>
                <LotLink lotId={r.lotId}>{r.lot.number}</LotLink>
              </Table.Td>
              <Table.Td>{formatDateTime(r.receivedAt)}</Table.Td>
              <Table.Td>
                <OnTime onTime={r.onTime} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function OnTime({ onTime }: { onTime: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={onTime ? 'green' : 'orange'}>
      {onTime ? t('purchasing.receipts.onTime') : t('purchasing.receipts.late')}
    </Badge>
  );
}
