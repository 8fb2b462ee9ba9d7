import {
  Alert,
  Badge,
  Button,
  Card,
  CloseButton,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconHistory, IconPencil, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, type Page } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/nav';
import { can } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { useSchemaForm } from '../../components/form';
import { formatDate, formatDecimal } from '../../components/format';
import { HistoryTab } from '../../components/HistoryTab';
import { notifySuccess } from '../../components/notify';
import { RecordPage } from '../../components/RecordPage';
import { RecordSelect } from '../../components/RecordSelect';
import { problemMessage } from '../../i18n';
import { ActiveBadge, FormProblem, Section, StatusTag, today, useMe, ValueSelect } from './common';
import { addressText } from './PartyFields';
import { placeProblem } from './problems';
import { SupplierModal } from './SuppliersPage';
import {
  APPROVAL_COLORS,
  APPROVAL_STATUSES,
  type DeliveryPerformance,
  type DocumentRef,
  type ItemSummary,
  type Supplier,
  type SupplierApproval,
} from './types';

/** One supplier: contact and address, its approved supplier list per item, and how it delivers. */
export function SupplierPage() {
  const { t } = useTranslation();
  const { supplierId } = useParams({ from: '/app/suppliers/$supplierId' });
  const me = useMe();
  const supplier = useQuery({ queryKey: ['supplier', supplierId], queryFn: () => get<Supplier>(`/suppliers/${supplierId}`) });
  const [editing, setEditing] = useState(false);
  if (supplier.isPending) return <Loader aria-label={t('common.loading')} />;
  if (supplier.isError) return <Alert color="red">{problemMessage(supplier.error)}</Alert>;
  const s = supplier.data;
  return (
    <>
      <RecordPage
        list={{ to: '/suppliers', labelKey: 'nav.suppliers' }}
        title={s.code}
        subtitle={s.name}
        status={<ActiveBadge active={s.active} />}
        record={{ entity: 'suppliers', id: s.id }}
        actions={
          can(me, P.masterdataWrite) && (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              {t('masterdata.edit')}
            </Button>
          )
        }
        details={
          <Stack gap="xl">
            <SimpleGrid cols={{ base: 1, md: can(me, P.purchasingRead) ? 2 : 1 }}>
              <Details
                rows={[
                  ['masterdata.suppliers.code', s.code],
                  ['masterdata.suppliers.name', s.name],
                  ['masterdata.contact.name', s.contactName],
                  ['masterdata.contact.email', s.email],
                  ['masterdata.contact.phone', s.phone],
                  ['masterdata.address.title', addressText(s)],
                  ['masterdata.status', <ActiveBadge key="a" active={s.active} />],
                ]}
                labelWidth={160}
              />
              {can(me, P.purchasingRead) && <DeliveryPerformanceCard supplierId={s.id} />}
            </SimpleGrid>
            <ApprovedSupplierList supplier={s} />
          </Stack>
        }
      />
      {editing && <SupplierModal supplier={s} onClose={() => setEditing(false)} />}
    </>
  );
}

/** On-time delivery from purchasing's receipts: received on or before the line's due date. */
function DeliveryPerformanceCard({ supplierId }: { supplierId: string }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState('365');
  const from = period === 'all' ? undefined : new Date(Date.now() - Number(period) * 86_400_000).toISOString().slice(0, 10);
  const perf = useQuery({
    queryKey: ['delivery-performance', supplierId, from],
    queryFn: () =>
      get<DeliveryPerformance>(`/purchasing/suppliers/${supplierId}/delivery-performance`, { from, to: from ? today() : undefined }),
    meta: { handlesErrors: true },
  });
  return (
    <Card withBorder padding="md" data-testid="delivery-performance">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text fw={600}>{t('masterdata.suppliers.onTime')}</Text>
          <SegmentedControl
            size="xs"
            value={period}
            onChange={setPeriod}
            data={[
              { value: '90', label: t('masterdata.suppliers.days90') },
              { value: '365', label: t('masterdata.suppliers.days365') },
              { value: 'all', label: t('masterdata.suppliers.allTime') },
            ]}
          />
        </Group>
        {perf.isPending ? (
          <Loader size="sm" />
        ) : perf.isError ? (
          <Text size="sm" c="dimmed">
            {problemMessage(perf.error)}
          </Text>
        ) : perf.data.receipts === 0 ? (
          <Text size="sm" c="dimmed">
            {t('masterdata.suppliers.noReceipts')}
          </Text>
        ) : (
          <Stack gap={2}>
            <Text size="xl" fw={700}>
              {perf.data.onTimePercent === null ? '—' : `${formatDecimal(perf.data.onTimePercent)} %`}
            </Text>
            <Text size="sm" c="dimmed">
              {t('masterdata.suppliers.onTimeOf', { onTime: perf.data.onTime, receipts: perf.data.receipts })}
            </Text>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

/** The approved supplier list of one supplier (ISO 13485 7.4.1): per item, status, evidence and expiry. */
function ApprovedSupplierList({ supplier }: { supplier: Supplier }) {
  const { t } = useTranslation();
  const me = useMe();
  const [status, setStatus] = useState<string | null>(null);
  const [dialog, setDialog] = useState<SupplierApproval | 'new' | null>(null);
  const [history, setHistory] = useState<SupplierApproval | null>(null);
  const list = useQuery({
    queryKey: ['list', '/supplier-approvals', { supplierId: supplier.id, status }],
    queryFn: () => get<Page<SupplierApproval>>('/supplier-approvals', { supplierId: supplier.id, status, limit: 200 }),
  });
  const writable = can(me, P.masterdataWrite);
  return (
    <Section
      title={t('masterdata.asl.title')}
      actions={
        <>
          <ValueSelect
            aria-label={t('masterdata.status')}
            placeholder={t('masterdata.allStatuses')}
            clearable
            size="xs"
            values={APPROVAL_STATUSES}
            prefix="masterdata.approvalStatuses"
            value={status}
            onChange={setStatus}
            w={160}
          />
          {writable && (
            <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setDialog('new')}>
              {t('masterdata.asl.add')}
            </Button>
          )}
        </>
      }
    >
      <Text size="sm" c="dimmed">
        {t('masterdata.asl.help')}
      </Text>
      {list.isPending ? (
        <Loader size="sm" />
      ) : list.isError ? (
        <Alert color="red">{problemMessage(list.error)}</Alert>
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('masterdata.asl.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={680}>
          <Table withTableBorder striped data-testid="asl">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('masterdata.asl.item')}</Table.Th>
                <Table.Th>{t('masterdata.status')}</Table.Th>
                <Table.Th>{t('masterdata.asl.evidence')}</Table.Th>
                <Table.Th>{t('masterdata.asl.expiresOn')}</Table.Th>
                <Table.Th>{t('masterdata.asl.purchasable')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <AnchorLink to="/items/$itemId" params={{ itemId: a.itemId }}>
                      {a.itemCode}
                    </AnchorLink>
                    <Text size="xs" c="dimmed">
                      {a.itemName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusTag prefix="masterdata.approvalStatuses" value={a.status} colors={APPROVAL_COLORS} />
                  </Table.Td>
                  <Table.Td maw={320}>
                    <Text size="sm">{a.evidence}</Text>
                    {a.evidenceDocumentId && (
                      <AnchorLink size="xs" to="/documents/$documentId" params={{ documentId: a.evidenceDocumentId }}>
                        {t('masterdata.asl.evidenceDocument')}
                      </AnchorLink>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {a.expiresOn ? formatDate(a.expiresOn) : t('masterdata.asl.noExpiry')}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={a.approvedToday ? 'green' : 'red'}>
                      {a.approvedToday ? t('masterdata.asl.purchasableYes') : t('masterdata.asl.purchasableNo')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      {writable && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          aria-label={t('masterdata.asl.change', { item: a.itemCode })}
                          onClick={() => setDialog(a)}
                        >
                          {t('masterdata.asl.changeShort')}
                        </Button>
                      )}
                      {can(me, P.auditRead) && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          leftSection={<IconHistory size={14} />}
                          aria-label={t('masterdata.asl.history', { item: a.itemCode })}
                          onClick={() => setHistory(a)}
                        >
                          {t('record.history')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {dialog && (
        <ApprovalModal
          supplier={supplier}
          entry={dialog === 'new' ? null : dialog}
          existing={list.data?.items ?? []}
          onClose={() => setDialog(null)}
        />
      )}
      {history && (
        <Modal opened onClose={() => setHistory(null)} title={t('masterdata.asl.historyTitle', { item: history.itemCode })} size="xl">
          <HistoryTab record={{ entity: 'supplier_approvals', id: history.id }} />
        </Modal>
      )}
    </Section>
  );
}

interface ApprovalValues extends Record<string, unknown> {
  status: string;
  evidence: string;
  evidenceDocumentId: string | null;
  expiresOn: string;
}

/**
 * Adds an item to the supplier's list, or changes its entry. A change of an existing entry needs
 * a reason (Annex 11 §9), sent as X-Change-Reason; the old status stays in the audit trail.
 */
function ApprovalModal(props: { supplier: Supplier; entry: SupplierApproval | null; existing: SupplierApproval[]; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { supplier, entry } = props;
  const [itemId, setItemId] = useState<string | null>(entry?.itemId ?? null);
  const [reason, setReason] = useState('');
  // Choosing an item that is already on the list changes its entry: that too needs a reason.
  const current = entry ?? props.existing.find((a) => a.itemId === itemId) ?? null;
  const form = useSchemaForm<ApprovalValues>(useRequestSchema('PUT', '/suppliers/:id/approvals/:itemId'), {
    status: entry?.status ?? 'approved',
    evidence: entry?.evidence ?? '',
    evidenceDocumentId: entry?.evidenceDocumentId ?? null,
    expiresOn: entry?.expiresOn ?? '',
  });
  const docId = form.values.evidenceDocumentId;
  const doc = useQuery({
    queryKey: ['document', docId],
    queryFn: () => get<DocumentRef>(`/documents/${docId}`),
    enabled: Boolean(docId),
  });
  const docLabel = doc.data ? `${doc.data.number} rev ${doc.data.revision} — ${doc.data.title}` : '…';
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (body: ApprovalValues) =>
      api<SupplierApproval>('PUT', `/suppliers/${supplier.id}/approvals/${itemId}`, {
        body: { ...body, evidenceDocumentId: body.evidenceDocumentId ?? null, expiresOn: body.expiresOn || null },
        ...(current ? { reason: reason.trim() } : {}),
      }),
    meta: { handlesErrors: true },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['list', '/supplier-approvals'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'supplier_approvals', saved.id] });
      notifySuccess(t('masterdata.asl.saved', { item: saved.itemCode }));
      props.onClose();
    },
    onError: (err) => setPlaced(placeProblem(form, err)),
  });
  const needsReason = Boolean(current);
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={entry ? t('masterdata.asl.change', { item: entry.itemCode }) : t('masterdata.asl.add')}
      centered
      size="lg"
    >
      <form noValidate onSubmit={form.submit((body) => itemId && save.mutate(body))}>
        <Stack>
          <Text size="sm" fw={600}>
            {supplier.code} · {supplier.name}
          </Text>
          <FormProblem error={save.error} placed={placed} />
          {entry ? (
            <TextInput label={t('masterdata.asl.item')} value={`${entry.itemCode} · ${entry.itemName}`} readOnly />
          ) : (
            <RecordSelect<ItemSummary>
              label={t('masterdata.asl.item')}
              placeholder={t('masterdata.bom.pickComponent')}
              required
              path="/items"
              filters={{ active: true }}
              option={(i) => `${i.code} · ${i.name}`}
              value={itemId}
              onChange={(id) => setItemId(id)}
            />
          )}
          {!entry && current && (
            <Alert color="yellow" variant="light">
              {t('masterdata.asl.alreadyListed', { status: t(`masterdata.approvalStatuses.${current.status}`) })}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <ValueSelect
              label={t('masterdata.status')}
              values={APPROVAL_STATUSES}
              prefix="masterdata.approvalStatuses"
              allowDeselect={false}
              required
              {...form.field('status')}
            />
            <TextInput
              type="date"
              label={t('masterdata.asl.expiresOn')}
              description={t('masterdata.asl.expiresHelp')}
              {...form.field('expiresOn')}
            />
          </SimpleGrid>
          <Textarea
            label={t('masterdata.asl.evidence')}
            description={t('masterdata.asl.evidenceHelp')}
            required
            autosize
            minRows={2}
            {...form.field('evidence')}
          />
          {docId ? (
            <Group gap="xs">
              <Text size="sm">
                {t('masterdata.asl.evidenceDocument')}: {docLabel}
              </Text>
              <CloseButton size="sm" aria-label={t('masterdata.asl.removeDocument')} onClick={() => form.set('evidenceDocumentId', null)} />
            </Group>
          ) : (
            <RecordSelect<DocumentRef>
              label={t('masterdata.asl.evidenceDocument')}
              placeholder={t('masterdata.asl.pickDocument')}
              path="/documents"
              option={(d) => `${d.number} rev ${d.revision} — ${d.title}`}
              value={form.values.evidenceDocumentId}
              error={form.errors.evidenceDocumentId}
              onChange={(id) => form.set('evidenceDocumentId', id)}
            />
          )}
          {needsReason && (
            <Textarea
              label={t('common.reason')}
              description={t('masterdata.asl.reasonHelp')}
              required
              autosize
              minRows={2}
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!itemId || (needsReason && !reason.trim())}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
