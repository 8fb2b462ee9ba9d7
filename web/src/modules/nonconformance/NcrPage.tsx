import { Alert, Badge, Button, Group, Loader, NumberInput, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { FormModal } from '../../components/FormModal';
import { formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { PrintButton } from '../../components/PrintButton';
import { RecordPage } from '../../components/RecordPage';
import { SignatureDialog } from '../../components/SignatureDialog';
import { StatusBadge } from '../../components/StatusBadge';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';
import { DefectClassBadge, LotLink, LotStatusBadge, NcrStatus } from './common';
import { DISPOSITION_KINDS, type NcrRecord } from './types';

const ncrKey = (id: string) => ['nonconformance', 'ncr', id];

interface DraftLine {
  key: string;
  lotId: string;
  kind: string;
  quantity: string;
}
interface Draft {
  lines: DraftLine[];
  justification: string;
  supplierNotice: string;
}

type Signing =
  | { step: 'dispose'; draft: Draft }
  | { step: 'engineering'; dispositionId: string }
  | { step: 'reinspected'; lotId: string }
  | { step: 'close' };

/**
 * A nonconformance report: what was found and where, the affected lots with what is disposed and
 * still open, the MRB's signed dispositions, supplier notifications, linked records, history and
 * every signature (dispositions and closure).
 */
export function NcrPage() {
  const { t } = useTranslation();
  const { ncrId } = useParams({ from: '/app/nonconformance/ncrs/$ncrId' });
  const me = useMe();
  const queryClient = useQueryClient();
  const ncr = useQuery({ queryKey: ncrKey(ncrId), queryFn: () => get<NcrRecord>(`/nonconformance/ncrs/${ncrId}`) });
  const [drafting, setDrafting] = useState(false);
  const [signing, setSigning] = useState<Signing | null>(null);
  const [cancelling, setCancelling] = useState(false);

  if (ncr.isPending) return <Loader aria-label={t('common.loading')} />;
  if (ncr.isError) return <Alert color="red">{problemMessage(ncr.error)}</Alert>;
  const n = ncr.data;
  const open = n.status === 'open';
  const label = `${n.number} — ${n.affected.map((a) => a.lotNumber).join(', ')}`;
  const undisposed = n.affected.some((a) => a.open !== '0');
  const awaiting = n.dispositions.some((d) => d.status === 'awaiting_engineering');

  const signed = async (path: string, body: object): Promise<Signature> => {
    const fresh = await api<NcrRecord>('POST', path, { body, idempotencyKey: crypto.randomUUID() });
    queryClient.setQueryData(ncrKey(n.id), fresh);
    void queryClient.invalidateQueries({ queryKey: ['audit', 'nonconformances', n.id] });
    void queryClient.invalidateQueries({ queryKey: ['list', '/nonconformance/ncrs'] });
    const signature = fresh.signatures.find((s) => !n.signatures.some((before) => before.id === s.id));
    if (!signature) throw new Error(t('signature.missing'));
    return signature;
  };
  const sign = (s: Signing) => (input: SignatureInput) => {
    if (s.step === 'close') return signed(`/nonconformance/ncrs/${n.id}/close`, input);
    if (s.step === 'reinspected') return signed(`/nonconformance/ncrs/${n.id}/lots/${s.lotId}/reinspected`, input);
    if (s.step === 'engineering') return signed(`/nonconformance/ncrs/${n.id}/dispositions/${s.dispositionId}/engineering`, input);
    const { lines, justification, supplierNotice } = s.draft;
    return signed(`/nonconformance/ncrs/${n.id}/dispositions`, {
      ...input,
      lines: lines.map(({ lotId, kind, quantity }) => ({ lotId, kind, quantity })),
      justification,
      ...(supplierNotice.trim() ? { supplierNotice } : {}),
    });
  };

  return (
    <>
      <RecordPage
        list={{ to: '/nonconformance/ncrs', labelKey: 'nav.ncrs' }}
        title={n.number}
        subtitle={n.item ? `${n.item.code} — ${n.item.name}${n.supplier ? ` · ${n.supplier.code}` : ''}` : undefined}
        status={
          <Group gap="xs">
            <NcrStatus status={n.status} />
            <DefectClassBadge value={n.defectClass} />
          </Group>
        }
        record={{ entity: 'nonconformances', id: n.id }}
        signed
        signatureCount={n.signatures.length}
        signatures={
          n.signatures.length === 0 ? (
            <Text c="dimmed">{t('signature.none')}</Text>
          ) : (
            <Stack gap="sm">
              {n.signatures.map((s) => (
                <Manifestation key={s.id} signature={s} />
              ))}
            </Stack>
          )
        }
        actions={
          <>
            <PrintButton path={`/nonconformance/ncrs/${n.id}/pdf`} />
            {open && (
              <>
                {can(me, P.ncrSignDispositioned) && undisposed && (
                  <Button color="orange" onClick={() => setDrafting(true)}>
                    {t('nonconformance.disposition.action')}
                  </Button>
                )}
                {can(me, P.ncrSignClosed) && !undisposed && !awaiting && (
                  <Button color="green" onClick={() => setSigning({ step: 'close' })}>
                    {t('nonconformance.close.action')}
                  </Button>
                )}
                {can(me, P.ncrRaise) && n.dispositions.length === 0 && (
                  <Button variant="default" onClick={() => setCancelling(true)}>
                    {t('nonconformance.cancel.action')}
                  </Button>
                )}
              </>
            )}
          </>
        }
        related={
          <Details
            rows={[
              [
                'nonconformance.fields.inspection',
                n.inspection ? (
                  <AnchorLink key="i" to="/quality/inspections/$inspectionId" params={{ inspectionId: n.inspection.id }}>
                    {n.inspection.code}
                  </AnchorLink>
                ) : null,
              ],
              [
                'nonconformance.fields.customerReturn',
                n.customerReturn ? (
                  <AnchorLink key="c" to="/sales/returns/$returnId" params={{ returnId: n.customerReturn.id }}>
                    {n.customerReturn.code}
                  </AnchorLink>
                ) : null,
              ],
              [
                'nonconformance.fields.receipt',
                n.receipt ? (
                  <AnchorLink key="r" to="/purchasing/receipts/$receiptId" params={{ receiptId: n.receipt.id }}>
                    {n.receipt.code}
                  </AnchorLink>
                ) : null,
              ],
              [
                'nonconformance.fields.supplier',
                n.supplier ? (
                  <AnchorLink key="s" to="/suppliers/$supplierId" params={{ supplierId: n.supplier.id }}>
                    {`${n.supplier.code} — ${n.supplier.name}`}
                  </AnchorLink>
                ) : null,
              ],
              [
                'nonconformance.fields.lots',
                <Group key="l" gap="xs">
                  {n.affected.map((a) => (
                    <LotLink key={a.lotId} lotId={a.lotId}>
                      {a.lotNumber}
                    </LotLink>
                  ))}
                </Group>,
              ],
            ]}
          />
        }
        details={
          <Stack gap="md">
            {n.cancelReason && <Alert color="gray">{t('nonconformance.cancel.reasonShown', { reason: n.cancelReason })}</Alert>}
            {awaiting && <Alert color="yellow">{t('nonconformance.disposition.awaitingHelp')}</Alert>}
            <Details
              rows={[
                ['nonconformance.fields.source', t(`nonconformance.sources.${n.source}`)],
                ['nonconformance.fields.description', n.description],
                ['nonconformance.fields.defectCodes', n.defects.map((d) => `${d.code} — ${d.name}`).join('; ') || null],
                ['nonconformance.fields.containment', n.containment],
                ['nonconformance.fields.createdBy', n.createdBy],
                ['nonconformance.fields.createdAt', formatDateTime(n.createdAt)],
                ['nonconformance.fields.closedAt', n.closedAt ? formatDateTime(n.closedAt) : null],
              ]}
            />
            <Title order={2} size="h4">
              {t('nonconformance.affected.title')}
            </Title>
            <Table data-testid="ncr-affected">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('nonconformance.fields.lot')}</Table.Th>
                  <Table.Th>{t('nonconformance.fields.lotStatus')}</Table.Th>
                  <Table.Th>{t('nonconformance.fields.quantity')}</Table.Th>
                  <Table.Th>{t('nonconformance.fields.disposed')}</Table.Th>
                  <Table.Th>{t('nonconformance.fields.openQuantity')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {n.affected.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <LotLink lotId={a.lotId}>{a.lotNumber}</LotLink>
                    </Table.Td>
                    <Table.Td>
                      <LotStatusBadge status={a.lotStatus} />
                    </Table.Td>
                    <Table.Td>{a.quantity}</Table.Td>
                    <Table.Td>{a.disposed}</Table.Td>
                    <Table.Td>{a.open}</Table.Td>
                    <Table.Td>
                      {a.awaitsReinspection && can(me, P.ncrSignDispositioned) && (
                        <Button size="xs" color="green" onClick={() => setSigning({ step: 'reinspected', lotId: a.lotId })}>
                          {t('nonconformance.reinspection.action')}
                        </Button>
                      )}
                      {a.reinspectedAt && (
                        <Text size="xs" c="dimmed">
                          {t('nonconformance.reinspection.done', { at: formatDateTime(a.reinspectedAt) })}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Title order={2} size="h4">
              {t('nonconformance.disposition.title')}
            </Title>
            {n.dispositions.length === 0 ? (
              <Text c="dimmed">{t('nonconformance.disposition.none')}</Text>
            ) : (
              <Table data-testid="ncr-dispositions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>{t('nonconformance.fields.lot')}</Table.Th>
                    <Table.Th>{t('nonconformance.fields.kind')}</Table.Th>
                    <Table.Th>{t('nonconformance.fields.quantity')}</Table.Th>
                    <Table.Th>{t('nonconformance.fields.justification')}</Table.Th>
                    <Table.Th>{t('nonconformance.fields.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {n.dispositions.map((d) => (
                    <Table.Tr key={d.id}>
                      <Table.Td>{d.lineNo}</Table.Td>
                      <Table.Td>{d.lotNumber}</Table.Td>
                      <Table.Td>{t(`nonconformance.dispositionKinds.${d.kind}`)}</Table.Td>
                      <Table.Td>{d.quantity}</Table.Td>
                      <Table.Td>{d.justification}</Table.Td>
                      <Table.Td>
                        <Group gap="xs">
                          <StatusBadge
                            prefix="nonconformance.dispositionStatuses"
                            value={d.status}
                            colors={{ awaiting_engineering: 'yellow', decided: 'green' }}
                          />
                          {open && d.status === 'awaiting_engineering' && can(me, P.ncrSignEngineering) && (
                            <Button size="xs" onClick={() => setSigning({ step: 'engineering', dispositionId: d.id })}>
                              {t('nonconformance.disposition.engineering')}
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {n.notifications.length > 0 && (
              <>
                <Title order={2} size="h4">
                  {t('nonconformance.notifications.title')}
                </Title>
                {n.notifications.map((x) => (
                  <Alert key={x.id} color="blue" title={`${x.lotNumbers.join(', ')} · ${x.quantity} · ${formatDateTime(x.sentAt)}`}>
                    {x.text}
                  </Alert>
                ))}
              </>
            )}
          </Stack>
        }
      />
      {drafting && (
        <DispositionForm
          ncr={n}
          onClose={() => setDrafting(false)}
          onReady={(draft) => {
            setDrafting(false);
            setSigning({ step: 'dispose', draft });
          }}
        />
      )}
      {signing && (
        <SignatureDialog
          opened
          onClose={() => setSigning(null)}
          meaning={signing.step === 'engineering' ? 'verified' : signing.step === 'reinspected' ? 'released' : 'approved'}
          commentRequired={signing.step === 'reinspected'}
          recordLabel={label}
          totp={me.totpEnrolled}
          description={
            signing.step === 'dispose'
              ? signing.draft.lines
                  .map(
                    (l) =>
                      `${n.affected.find((a) => a.lotId === l.lotId)?.lotNumber}: ${t(`nonconformance.dispositionKinds.${l.kind}`)} ${l.quantity}`,
                  )
                  .join(' · ')
              : signing.step === 'close'
                ? t('nonconformance.close.help')
                : signing.step === 'reinspected'
                  ? t('nonconformance.reinspection.help')
                  : t('nonconformance.disposition.engineeringHelp')
          }
          sign={sign(signing)}
        />
      )}
      {cancelling && <CancelForm ncr={n} onClose={() => setCancelling(false)} />}
    </>
  );
}

/** The MRB's decision as lines (lot, disposition, quantity) with one justification; signed in the next step. */
function DispositionForm({ ncr, onClose, onReady }: { ncr: NcrRecord; onClose: () => void; onReady: (draft: Draft) => void }) {
  const { t } = useTranslation();
  const openLots = ncr.affected.filter((a) => a.open !== '0');
  const [lines, setLines] = useState<DraftLine[]>(
    openLots.map((a) => ({ key: crypto.randomUUID(), lotId: a.lotId, kind: 'scrap', quantity: a.open })),
  );
  const [justification, setJustification] = useState('');
  const [supplierNotice, setSupplierNotice] = useState('');
  const update = (i: number, patch: Partial<DraftLine>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onReady({ lines: lines.filter((l) => Number(l.quantity) > 0), justification, supplierNotice });
  };
  return (
    <FormModal
      title={t('nonconformance.disposition.action')}
      size="xl"
      onClose={onClose}
      onSubmit={submit}
      save={{ error: null, isPending: false }}
      submitLabel={t('nonconformance.disposition.toSign')}
      submitDisabled={!justification.trim() || lines.every((l) => !(Number(l.quantity) > 0))}
      lead={<Text size="sm">{t('nonconformance.disposition.help')}</Text>}
    >
      {lines.map((l, i) => {
        const lot = ncr.affected.find((a) => a.lotId === l.lotId)!;
        return (
          <Group key={l.key} align="flex-end">
            <Text w={160} size="sm" fw={600}>
              {lot.lotNumber} <Badge variant="light">{t('nonconformance.openQuantity', { quantity: lot.open })}</Badge>
            </Text>
            <Select
              label={t('nonconformance.fields.kind')}
              data={DISPOSITION_KINDS.map((k) => ({ value: k, label: t(`nonconformance.dispositionKinds.${k}`) }))}
              value={l.kind}
              onChange={(v) => update(i, { kind: v ?? 'scrap' })}
              allowDeselect={false}
              w={200}
            />
            <NumberInput
              label={t('nonconformance.fields.quantity')}
              value={l.quantity}
              onChange={(v) => update(i, { quantity: String(v) })}
              min={0}
              w={140}
            />
            <Button
              variant="subtle"
              onClick={() =>
                setLines((ls) => [
                  ...ls.slice(0, i + 1),
                  { key: crypto.randomUUID(), lotId: l.lotId, kind: 'use_as_is', quantity: '0' },
                  ...ls.slice(i + 1),
                ])
              }
            >
              {t('nonconformance.disposition.split')}
            </Button>
          </Group>
        );
      })}
      <Textarea
        label={t('nonconformance.fields.justification')}
        required
        autosize
        minRows={2}
        maxLength={4000}
        value={justification}
        onChange={(e) => setJustification(e.currentTarget.value)}
      />
      {lines.some((l) => l.kind === 'return_to_supplier') && (
        <Textarea
          label={t('nonconformance.fields.supplierNotice')}
          autosize
          minRows={2}
          maxLength={4000}
          value={supplierNotice}
          onChange={(e) => setSupplierNotice(e.currentTarget.value)}
        />
      )}
    </FormModal>
  );
}

function CancelForm({ ncr, onClose }: { ncr: NcrRecord; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const run = useMutation({
    mutationFn: () => api<NcrRecord>('POST', `/nonconformance/ncrs/${ncr.id}/cancel`, { body: { reason }, idempotencyKey }),
    meta: { handlesErrors: true },
    onSuccess: (fresh) => {
      queryClient.setQueryData(ncrKey(ncr.id), fresh);
      void queryClient.invalidateQueries({ queryKey: ['list', '/nonconformance/ncrs'] });
      onClose();
    },
  });
  return (
    <FormModal
      title={t('nonconformance.cancel.action')}
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        run.mutate();
      }}
      save={{ error: run.error, isPending: run.isPending }}
      submitLabel={t('nonconformance.cancel.action')}
      submitColor="red"
      submitDisabled={!reason.trim()}
      lead={<Text size="sm">{t('nonconformance.cancel.help')}</Text>}
    >
      <Textarea
        label={t('common.reason')}
        required
        autosize
        minRows={2}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
    </FormModal>
  );
}
