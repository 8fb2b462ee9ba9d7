import { Alert, Badge, Button, CloseButton, Group, Modal, SimpleGrid, Text, Textarea, TextInput } from '@mantine/core';
import { IconHistory, IconPlus } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, type Page } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { FormModal, ReasonInput } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { formatDate } from '../../components/format';
import { HistoryTab } from '../../components/HistoryTab';
import { notifySuccess } from '../../components/notify';
import { RecordSelect } from '../../components/RecordSelect';
import { SignatureFields } from '../../components/SignatureDialog';
import { QueryStatus, Section, StatusTag, ValueSelect } from './common';
import { useFormMutation } from './forms';
import { RowsTable } from './RowsTable';
import { ITEM, RecordLink, SUPPLIER } from './records';
import { APPROVAL_COLORS, APPROVAL_STATUSES, type DocumentRef, type ItemSummary, type Supplier, type SupplierApproval } from './types';

/**
 * The approved supplier list (ISO 13485 7.4.1): per supplier and item, the status, its evidence
 * and expiry, and whether purchasing may order today. Read per supplier or per item.
 */

const APPROVALS = '/supplier-approvals';

function ApprovalStatus({ approval }: { approval: SupplierApproval }) {
  return <StatusTag prefix="masterdata.approvalStatuses" value={approval.status} colors={APPROVAL_COLORS} />;
}

/** Whether purchasing may order the item from the supplier today (approved or conditional, not expired). */
function PurchasableBadge({ approval }: { approval: SupplierApproval }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={approval.approvedToday ? 'green' : 'red'}>
      {approval.approvedToday ? t('masterdata.asl.purchasableYes') : t('masterdata.asl.purchasableNo')}
    </Badge>
  );
}

/** The approved supplier list of one supplier (ISO 13485 7.4.1): per item, status, evidence and expiry. */
export function ApprovedSupplierList({ supplier }: { supplier: Supplier }) {
  const { t } = useTranslation();
  const me = useMe();
  const [status, setStatus] = useState<string | null>(null);
  const [dialog, setDialog] = useState<SupplierApproval | 'new' | null>(null);
  const [history, setHistory] = useState<SupplierApproval | null>(null);
  const list = useQuery({
    queryKey: ['list', APPROVALS, { supplierId: supplier.id, status }],
    queryFn: () => get<Page<SupplierApproval>>(APPROVALS, { supplierId: supplier.id, status, limit: 200 }),
  });
  // Entries change only by a signed quality decision.
  const writable = can(me, P.qualitySignSupplierApproval);
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
      {!list.isSuccess ? (
        <QueryStatus query={list} size="sm" />
      ) : (
        <RowsTable
          rows={list.data.items}
          rowKey={(a) => a.id}
          columns={[
            {
              labelKey: 'masterdata.asl.item',
              cell: (a) => <RecordLink kind={ITEM} id={a.itemId} code={a.itemCode} name={a.itemName} />,
            },
            { labelKey: 'masterdata.status', cell: (a) => <ApprovalStatus approval={a} /> },
            {
              labelKey: 'masterdata.asl.evidence',
              cell: (a) => (
                <>
                  <Text size="sm">{a.evidence}</Text>
                  {a.evidenceDocumentId && (
                    <AnchorLink size="xs" to="/documents/$documentId" params={{ documentId: a.evidenceDocumentId }}>
                      {t('masterdata.asl.evidenceDocument')}
                    </AnchorLink>
                  )}
                </>
              ),
              style: { maxWidth: 320 },
            },
            {
              labelKey: 'masterdata.asl.expiresOn',
              cell: (a) => (a.expiresOn ? formatDate(a.expiresOn) : t('masterdata.asl.noExpiry')),
              style: { whiteSpace: 'nowrap' },
            },
            { labelKey: 'masterdata.asl.purchasable', cell: (a) => <PurchasableBadge approval={a} /> },
            {
              cell: (a) => (
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
              ),
            },
          ]}
          empty={t('masterdata.asl.none')}
          minWidth={680}
          testId="asl"
        />
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

/** The approved supplier list entries of this item, across suppliers. */
export function ApprovedSuppliersOfItem({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['list', APPROVALS, { itemId }],
    queryFn: () => get<Page<SupplierApproval>>(APPROVALS, { itemId, limit: 200 }),
  });
  return (
    <Section title={t('masterdata.asl.forItem')}>
      {!list.isSuccess ? (
        <QueryStatus query={list} size="sm" />
      ) : (
        <RowsTable
          rows={list.data.items}
          rowKey={(a) => a.id}
          columns={[
            {
              labelKey: 'masterdata.suppliers.supplier',
              cell: (a) => <RecordLink kind={SUPPLIER} id={a.supplierId} code={a.supplierCode} name={a.supplierName} inline />,
            },
            { labelKey: 'masterdata.status', cell: (a) => <ApprovalStatus approval={a} /> },
            { labelKey: 'masterdata.asl.expiresOn', cell: (a) => formatDate(a.expiresOn) },
            { labelKey: 'masterdata.asl.purchasable', cell: (a) => <PurchasableBadge approval={a} /> },
          ]}
          empty={t('masterdata.asl.noneForItem')}
          minWidth={560}
        />
      )}
    </Section>
  );
}

interface ApprovalValues extends Record<string, unknown> {
  status: string;
  evidence: string;
  evidenceDocumentId: string | null;
  expiresOn: string;
  password: string;
  totpCode: string;
  comment: string;
}

/** Approving or restricting is signed "approved"; disqualifying is signed "rejected". */
const decisionMeaning = (status: string) => (status === 'disqualified' ? 'rejected' : 'approved');

/**
 * Adds an item to the supplier's list, or changes its entry: a quality decision, signed with a
 * reason (the comment); the old status stays in the audit trail.
 */
function ApprovalModal(props: { supplier: Supplier; entry: SupplierApproval | null; existing: SupplierApproval[]; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { supplier, entry } = props;
  const [itemId, setItemId] = useState<string | null>(entry?.itemId ?? null);
  const me = useMe();
  const current = entry ?? props.existing.find((a) => a.itemId === itemId) ?? null;
  const form = useSchemaForm<ApprovalValues>(useRequestSchema('PUT', '/suppliers/:id/approvals/:itemId'), {
    status: entry?.status ?? 'approved',
    evidence: entry?.evidence ?? '',
    evidenceDocumentId: entry?.evidenceDocumentId ?? null,
    expiresOn: entry?.expiresOn ?? '',
    password: '',
    totpCode: '',
    comment: '',
  });
  const docId = form.values.evidenceDocumentId;
  const doc = useQuery({
    queryKey: ['document', docId],
    queryFn: () => get<DocumentRef>(`/documents/${docId}`),
    enabled: Boolean(docId),
  });
  const docLabel = doc.data ? `${doc.data.number} rev ${doc.data.revision} — ${doc.data.title}` : '…';
  const save = useFormMutation(form, {
    send: (body: ApprovalValues) =>
      api<SupplierApproval>('PUT', `/suppliers/${supplier.id}/approvals/${itemId}`, {
        body: {
          ...body,
          evidenceDocumentId: body.evidenceDocumentId ?? null,
          expiresOn: body.expiresOn || null,
          comment: form.values.comment.trim(),
        },
      }),
    onSaved: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['list', APPROVALS] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'supplier_approvals', saved.id] });
      notifySuccess(t('masterdata.asl.saved', { item: saved.itemCode }));
      props.onClose();
    },
  });
  return (
    <FormModal
      title={entry ? t('masterdata.asl.change', { item: entry.itemCode }) : t('masterdata.asl.add')}
      size="lg"
      onClose={props.onClose}
      onSubmit={form.submit((body) => itemId && save.mutate(body))}
      save={save}
      submitLabel={t('masterdata.asl.sign')}
      submitDisabled={!itemId || !form.values.comment.trim() || !form.values.password}
      lead={
        <Text size="sm" fw={600}>
          {supplier.code} · {supplier.name}
        </Text>
      }
    >
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
      <ReasonInput
        description={t('masterdata.asl.reasonHelp')}
        required
        value={form.values.comment}
        onChange={(value) => form.set('comment', value)}
      />
      <SignatureFields
        meaning={decisionMeaning(form.values.status)}
        totp={me.totpEnrolled}
        password={form.values.password}
        onPasswordChange={(value) => form.set('password', value)}
        totpCode={form.values.totpCode}
        onTotpCodeChange={(value) => form.set('totpCode', value)}
        errors={{ password: form.errors.password, totpCode: form.errors.totpCode }}
      />
    </FormModal>
  );
}
