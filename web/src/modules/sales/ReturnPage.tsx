import { Alert, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { formatDecimal } from '../../components/decimal';
import { formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { PrintButton } from '../../components/PrintButton';
import { RecordPage } from '../../components/RecordPage';
import { SignatureDialog } from '../../components/SignatureDialog';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';
import { type DispositionDraft, DispositionReturnForm, EndReturnForm, ReceiveReturnForm, returnKey } from './ReturnForms';
import { ReturnStatusBadge } from './ReturnStatusBadge';
import type { ReturnRecord } from './types';

/**
 * A customer's return: the lots and serials authorised, received into quarantine and dispositioned,
 * each disposition with its signature and the NCR it raised, the shipment it came from, history;
 * receive, disposition (signed), close or cancel, print.
 */
export function ReturnPage() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const { returnId } = useParams({ strict: false }) as { returnId: string };
  const query = useQuery({ queryKey: returnKey(returnId), queryFn: () => get<ReturnRecord>(`/sales/returns/${returnId}`) });
  const [form, setForm] = useState<'receive' | 'dispose' | 'close' | 'cancel' | null>(null);
  const [draft, setDraft] = useState<DispositionDraft | null>(null);

  if (query.isPending) return <Loader aria-label={t('common.loading')} />;
  if (query.isError) return <Alert color="red">{problemMessage(query.error)}</Alert>;
  const r = query.data;
  const allowed = (s: string) => r.allowedTransitions.includes(s as never);
  const toReceive = r.lines.some((l) => l.toReceive !== '0') && (r.status === 'authorised' || r.status === 'partially_received');
  const toDisposition = r.lines.some((l) => l.toDisposition !== '0') && (r.status === 'partially_received' || r.status === 'received');
  const closable = allowed('closed') && r.lines.every((l) => l.toDisposition === '0');
  const lineOf = (lineNo: number) => r.lines.find((l) => l.lineNo === lineNo);

  const sign = async (input: SignatureInput): Promise<Signature> => {
    const d = draft!;
    const fresh = await api<ReturnRecord>('POST', `/sales/returns/${r.id}/dispositions`, {
      body: { ...input, ...d.body },
      idempotencyKey: crypto.randomUUID(),
    });
    queryClient.setQueryData(returnKey(r.id), fresh);
    void queryClient.invalidateQueries({ queryKey: ['audit', 'customer_returns', r.id] });
    void queryClient.invalidateQueries({ queryKey: ['list', '/sales/returns'] });
    const signature = fresh.signatures.find((s) => !r.signatures.some((before) => before.id === s.id));
    if (!signature) throw new Error(t('signature.missing'));
    return signature;
  };

  const actions = (
    <Group gap="xs">
      {toReceive && can(me, P.salesReturnReceive) && (
        <Button onClick={() => setForm('receive')}>{t('sales.returns.receive.action')}</Button>
      )}
      {toDisposition && can(me, P.salesSignReturnDisposition) && (
        <Button color="orange" onClick={() => setForm('dispose')}>
          {t('sales.returns.dispose.action')}
        </Button>
      )}
      {closable && can(me, P.salesReturnAuthorise) && (
        <Button color="green" variant="light" onClick={() => setForm('close')}>
          {t('sales.returns.close.action')}
        </Button>
      )}
      {allowed('cancelled') && can(me, P.salesReturnAuthorise) && (
        <Button variant="subtle" color="red" onClick={() => setForm('cancel')}>
          {t('sales.returns.cancel.action')}
        </Button>
      )}
      <PrintButton path={`/sales/returns/${r.id}/pdf`} />
    </Group>
  );

  return (
    <>
      <RecordPage
        list={{ to: '/sales/returns', labelKey: 'nav.salesReturns' }}
        title={r.number}
        subtitle={`${r.customer.code} — ${r.customer.name}`}
        status={<ReturnStatusBadge status={r.status} />}
        actions={actions}
        record={{ entity: 'customer_returns', id: r.id }}
        signed
        signatureCount={r.signatures.length}
        signatures={
          r.signatures.length === 0 ? (
            <Text c="dimmed">{t('signature.none')}</Text>
          ) : (
            <Stack gap="sm">
              {r.signatures.map((s) => (
                <Manifestation key={s.id} signature={s} />
              ))}
            </Stack>
          )
        }
        related={
          <Details
            rows={[
              [
                'sales.returns.shipment',
                <AnchorLink key="s" to="/sales/shipments/$shipmentId" params={{ shipmentId: r.shipmentId }}>
                  {r.shipmentNumber}
                </AnchorLink>,
              ],
              [
                'sales.returns.order',
                <AnchorLink key="o" to="/sales/orders/$orderId" params={{ orderId: r.orderId }}>
                  {r.orderNumber}
                </AnchorLink>,
              ],
              [
                'sales.returns.ncr',
                r.dispositions.some((d) => d.nonconformanceId) ? (
                  <Group key="n" gap="xs">
                    {[...new Map(r.dispositions.filter((d) => d.nonconformanceId).map((d) => [d.nonconformanceId!, d.ncrNumber!]))].map(
                      ([id, number]) => (
                        <AnchorLink key={id} to="/nonconformance/ncrs/$ncrId" params={{ ncrId: id }}>
                          {number}
                        </AnchorLink>
                      ),
                    )}
                  </Group>
                ) : null,
              ],
            ]}
          />
        }
        details={
          <Stack gap="md">
            {r.cancelReason && <Alert color="gray">{t('sales.returns.cancelledBecause', { reason: r.cancelReason })}</Alert>}
            <Details
              rows={[
                ['sales.returns.customer', `${r.customer.code} — ${r.customer.name}`],
                ['sales.returns.reason', r.reason],
                ['sales.returns.authorisedBy', r.createdBy?.name ?? null],
                ['sales.returns.authorisedAt', formatDateTime(r.createdAt)],
                ['sales.returns.closedAt', r.closedAt ? formatDateTime(r.closedAt) : null],
              ]}
            />
            <Title order={2} size="h4">
              {t('sales.returns.lines')}
            </Title>
            <Table aria-label={t('sales.returns.lines')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sales.returns.line')}</Table.Th>
                  <Table.Th>{t('sales.returns.lot')}</Table.Th>
                  <Table.Th>{t('sales.returns.shipmentLine')}</Table.Th>
                  <Table.Th>{t('sales.returns.authorised')}</Table.Th>
                  <Table.Th>{t('sales.returns.received')}</Table.Th>
                  <Table.Th>{t('sales.returns.dispositioned')}</Table.Th>
                  <Table.Th>{t('sales.returns.receivedBy')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.lines.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>{l.lineNo}</Table.Td>
                    <Table.Td>
                      <AnchorLink to="/inventory/lots/$lotId" params={{ lotId: l.lotId }}>
                        {l.lotNumber}
                      </AnchorLink>
                    </Table.Td>
                    <Table.Td>{l.shipmentLineNo}</Table.Td>
                    <Table.Td>{formatDecimal(l.authorisedQuantity)}</Table.Td>
                    <Table.Td>{formatDecimal(l.receivedQuantity)}</Table.Td>
                    <Table.Td>{formatDecimal(l.dispositionedQuantity)}</Table.Td>
                    <Table.Td>{l.receivedBy ? `${l.receivedBy} · ${formatDateTime(l.receivedAt)}` : ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Title order={2} size="h4">
              {t('sales.returns.dispositions')}
            </Title>
            {r.dispositions.length === 0 ? (
              <Text c="dimmed">{t('sales.returns.noDispositions')}</Text>
            ) : (
              <Table aria-label={t('sales.returns.dispositions')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>{t('sales.returns.lot')}</Table.Th>
                    <Table.Th>{t('sales.returns.disposition')}</Table.Th>
                    <Table.Th>{t('sales.returns.quantity')}</Table.Th>
                    <Table.Th>{t('sales.returns.ncr')}</Table.Th>
                    <Table.Th>{t('sales.returns.justification')}</Table.Th>
                    <Table.Th>{t('sales.returns.decidedBy')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.dispositions.map((d) => (
                    <Table.Tr key={d.id}>
                      <Table.Td>{d.lineNo}</Table.Td>
                      <Table.Td>{lineOf(d.returnLineNo)?.lotNumber ?? d.lotNumber}</Table.Td>
                      <Table.Td>{t(`sales.returnDispositions.${d.kind}`)}</Table.Td>
                      <Table.Td>{formatDecimal(d.quantity)}</Table.Td>
                      <Table.Td>
                        {d.nonconformanceId && (
                          <AnchorLink to="/nonconformance/ncrs/$ncrId" params={{ ncrId: d.nonconformanceId }}>
                            {d.ncrNumber}
                          </AnchorLink>
                        )}
                      </Table.Td>
                      <Table.Td>{d.justification}</Table.Td>
                      <Table.Td>{`${d.decidedBy} · ${formatDateTime(d.decidedAt)}`}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        }
      />
      {form === 'receive' && <ReceiveReturnForm ret={r} onClose={() => setForm(null)} />}
      {form === 'dispose' && (
        <DispositionReturnForm
          ret={r}
          onClose={() => setForm(null)}
          onReady={(d) => {
            setForm(null);
            setDraft(d);
          }}
        />
      )}
      {(form === 'close' || form === 'cancel') && <EndReturnForm ret={r} step={form} onClose={() => setForm(null)} />}
      {draft && (
        <SignatureDialog
          opened
          onClose={() => setDraft(null)}
          meaning={draft.meaning}
          recordLabel={`${r.number} — ${r.lotNumbers.join(', ')}`}
          totp={me.totpEnrolled}
          description={draft.summary}
          sign={sign}
        />
      )}
    </>
  );
}
