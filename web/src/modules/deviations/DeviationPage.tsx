import { Alert, Button, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { can, meQuery } from '../../auth/session';
import { formatDate, formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { RecordPage } from '../../components/RecordPage';
import { SignatureDialog } from '../../components/SignatureDialog';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';
import { type Deviation, DeviationStatusBadge } from './DeviationsPage';

interface DeviationDetail extends Deviation {
  uses: Array<{
    id: string;
    usedBy: { kind: string; id: string };
    quantity: string;
    lot: string | null;
    usedOn: string;
    usedAt: string;
    recordedBy: string;
  }>;
  signatures: Signature[];
  allowedTransitions: string[];
}

const STEPS: Record<string, { labelKey: string; meaning?: string; color?: string }> = {
  approved: { labelKey: 'deviations.approve', meaning: 'approved', color: 'green' },
  closed: { labelKey: 'deviations.close', meaning: 'verified' },
};

/** A deviation: its bounds, what used it and what remains, its signatures and history; approve and close by signature. */
export function DeviationPage() {
  const { t } = useTranslation();
  const { deviationId } = useParams({ from: '/app/deviations/$deviationId' });
  const { data: me } = useSuspenseQuery(meQuery);
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['deviation', deviationId], queryFn: () => get<DeviationDetail>(`/deviations/${deviationId}`) });
  const [step, setStep] = useState<string | null>(null);

  if (query.isPending) return <Loader aria-label={t('common.loading')} />;
  if (query.isError) return <Alert color="red">{problemMessage(query.error)}</Alert>;
  const d = query.data;

  const sign = async (to: string, input: SignatureInput): Promise<Signature> => {
    const moved = await post<DeviationDetail>(`/deviations/${d.id}/transitions`, { to, ...input });
    queryClient.setQueryData(['deviation', d.id], moved);
    queryClient.setQueryData(['signatures', 'deviations', d.id], { items: moved.signatures });
    void queryClient.invalidateQueries({ queryKey: ['audit', 'deviations', d.id] });
    void queryClient.invalidateQueries({ queryKey: ['list', '/deviations'] });
    const signature = moved.signatures.find((s) => !d.signatures.some((before) => before.id === s.id));
    if (!signature) throw new Error(t('signature.missing'));
    return signature;
  };
  const current = step ? STEPS[step] : undefined;
  const rows: Array<[string, string]> = [
    ['deviations.number', d.number],
    ['deviations.reason', d.reason],
    ['deviations.riskAssessment', d.riskAssessment],
    ['deviations.lots', d.lots.join(', ') || t('deviations.anyLot')],
    ['deviations.maxQuantity', `${d.maxQuantity} ${d.unit}`],
    ['deviations.used', `${d.usedQuantity} ${d.unit}`],
    ['deviations.remaining', `${d.remainingQuantity} ${d.unit}`],
    ['deviations.validFrom', formatDate(d.validFrom)],
    ['deviations.validUntil', formatDate(d.validUntil)],
    ['deviations.author', d.author.name],
  ];
  return (
    <>
      <RecordPage
        list={{ to: '/deviations', labelKey: 'nav.deviations' }}
        title={d.number}
        subtitle={d.title}
        status={<DeviationStatusBadge status={d.status} />}
        record={{ entity: 'deviations', id: d.id }}
        signed
        actions={d.allowedTransitions
          .filter((to) => STEPS[to])
          .map((to) => (
            <Button key={to} variant="light" color={STEPS[to]!.color} onClick={() => setStep(to)}>
              {t(STEPS[to]!.labelKey)}
            </Button>
          ))}
        notice={
          d.status === 'draft' &&
          d.author.id === me.id &&
          can(me, 'deviations:sign.approved') && <Alert color="yellow">{t('deviations.cannotApprove')}</Alert>
        }
        details={
          <Stack gap="md">
            {d.signatures.map((s) => (
              <Manifestation key={s.id} signature={s} />
            ))}
            <Table variant="vertical" withTableBorder>
              <Table.Tbody>
                {rows.map(([key, value]) => (
                  <Table.Tr key={key}>
                    <Table.Th w={200}>{t(key)}</Table.Th>
                    <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {d.description && <Text size="sm">{d.description}</Text>}
            <Title order={2} size="h4">
              {t('deviations.uses')}
            </Title>
            {d.uses.length === 0 ? (
              <Text c="dimmed">{t('deviations.noUses')}</Text>
            ) : (
              <Table withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('deviations.usedBy')}</Table.Th>
                    <Table.Th>{t('deviations.quantity')}</Table.Th>
                    <Table.Th>{t('deviations.lot')}</Table.Th>
                    <Table.Th>{t('deviations.usedAt')}</Table.Th>
                    <Table.Th>{t('deviations.recordedBy')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.uses.map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td>{t(`deviations.useKinds.${u.usedBy.kind}`)}</Table.Td>
                      <Table.Td>
                        {u.quantity} {d.unit}
                      </Table.Td>
                      <Table.Td>{u.lot ?? ''}</Table.Td>
                      <Table.Td>{formatDateTime(u.usedAt)}</Table.Td>
                      <Table.Td>{u.recordedBy}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        }
      />
      {step && current?.meaning && (
        <SignatureDialog
          opened
          onClose={() => setStep(null)}
          meaning={current.meaning}
          recordLabel={`${d.number} — ${d.title}`}
          totp={me.totpEnrolled}
          commentRequired={step === 'closed'}
          sign={(input) => sign(step, input)}
        />
      )}
    </>
  );
}
