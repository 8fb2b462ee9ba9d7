import { Alert, Button, Loader, Stack, Table, Text } from '@mantine/core';
import { useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { can, meQuery } from '../../auth/session';
import { formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { RecordPage } from '../../components/RecordPage';
import { SignatureDialog } from '../../components/SignatureDialog';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';
import { todayIn, useCurrentSite } from '../inventory/calendar';
import { CompareTab, ContentTab, DistributionTab, FilesTab } from './content';
import { DocumentStatus } from './DocumentsPage';
import { StepDialog } from './StepDialog';
import { type DocumentDetail, kindKey, STEPS } from './types';

/** A controlled document: details, lifecycle steps (signed where the lifecycle says so), history and signatures. */
export function DocumentPage() {
  const { t } = useTranslation();
  const { documentId } = useParams({ from: '/app/documents/$documentId' });
  const { data: me } = useSuspenseQuery(meQuery);
  const queryClient = useQueryClient();
  const doc = useQuery({ queryKey: ['document', documentId], queryFn: () => get<DocumentDetail>(`/documents/${documentId}`) });
  const [step, setStep] = useState<string | null>(null);
  const [reviewing, setReviewing] = useState(false);
  // Overdue by the day at the person's site, as the server counts reviews due.
  const today = todayIn(useCurrentSite()?.timeZone);

  if (doc.isPending) return <Loader aria-label={t('common.loading')} />;
  if (doc.isError) return <Alert color="red">{problemMessage(doc.error)}</Alert>;
  const d = doc.data;
  const label = `${d.number} ${t('documents.rev', { revision: d.revision })} — ${d.title}`;

  /** Moves the document; for a signed step, answers the signature it made, as the server manifests it. */
  const move = async (to: string, input?: Partial<SignatureInput>): Promise<Signature | null> => {
    const moved = await post<DocumentDetail>(`/documents/${d.id}/transitions`, { to, ...input });
    queryClient.setQueryData(['document', d.id], moved);
    queryClient.setQueryData(['signatures', 'documents', d.id], { items: moved.signatures });
    void queryClient.invalidateQueries({ queryKey: ['audit', 'documents', d.id] });
    void queryClient.invalidateQueries({ queryKey: ['list', '/documents'] });
    return moved.signatures.find((s) => !d.signatures.some((before) => before.id === s.id)) ?? null;
  };
  const sign = async (to: string, input: SignatureInput): Promise<Signature> => {
    const signature = await move(to, input);
    if (!signature) throw new Error(t('signature.missing'));
    return signature;
  };

  /** Signs the periodic review of the effective revision. */
  const review = async (input: SignatureInput): Promise<Signature> => {
    const reviewed = await post<DocumentDetail>(`/documents/${d.id}/reviews`, input);
    queryClient.setQueryData(['document', d.id], reviewed);
    queryClient.setQueryData(['signatures', 'documents', d.id], { items: reviewed.signatures });
    void queryClient.invalidateQueries({ queryKey: ['audit', 'documents', d.id] });
    void queryClient.invalidateQueries({ queryKey: ['list', '/documents/reviews-due'] });
    const signature = reviewed.signatures.find((s) => !d.signatures.some((before) => before.id === s.id));
    if (!signature) throw new Error(t('signature.missing'));
    return signature;
  };
  const canWrite = can(me, 'documents:write');
  const overdue = d.status === 'effective' && d.nextReviewOn !== null && d.nextReviewOn < today;

  const current = step ? STEPS[step] : undefined;
  return (
    <>
      <RecordPage
        list={{ to: '/documents', labelKey: 'nav.documents' }}
        title={`${d.number} ${t('documents.rev', { revision: d.revision })}`}
        subtitle={d.title}
        status={<DocumentStatus status={d.status} />}
        record={{ entity: 'documents', id: d.id }}
        signed
        actions={[
          ...d.allowedTransitions.map((to) => {
            const s = STEPS[to];
            return (
              <Button key={to} variant="light" color={s?.color} onClick={() => setStep(to)}>
                {s ? t(s.labelKey) : to}
              </Button>
            );
          }),
          ...(d.status === 'effective' && can(me, 'documents:sign.reviewed')
            ? [
                <Button key="review" variant="light" color="teal" onClick={() => setReviewing(true)}>
                  {t('documents.review.done')}
                </Button>,
              ]
            : []),
        ]}
        notice={
          overdue ? (
            <Alert color="red" title={t('documents.review.overdueTitle')}>
              {t('documents.review.overdue', { date: d.nextReviewOn })}
            </Alert>
          ) : undefined
        }
        tabs={[
          { value: 'content', labelKey: 'documents.content.tab', panel: <ContentTab doc={d} canWrite={canWrite} /> },
          { value: 'files', labelKey: 'documents.files.tab', count: d.files.length, panel: <FilesTab doc={d} canWrite={canWrite} /> },
          { value: 'compare', labelKey: 'documents.diff.tab', panel: <CompareTab doc={d} /> },
          {
            value: 'distribution',
            labelKey: 'documents.distribution.tab',
            count: d.distribution.length,
            panel: <DistributionTab doc={d} canWrite={canWrite} />,
          },
        ]}
        details={
          <Stack gap="md">
            {d.signatures.map((s) => (
              <Manifestation key={s.id} signature={s} />
            ))}
            {d.allowedTransitions.includes('approved') &&
              can(me, 'documents:sign.approved') &&
              (d.author.id === me.id || d.contentEditor?.id === me.id) && (
                <Alert color="yellow" title={t('documents.cannotApproveTitle')} data-testid="sod-notice">
                  {t('documents.cannotApprove')}
                </Alert>
              )}
            <Table variant="vertical" withTableBorder>
              <Table.Tbody>
                {(
                  [
                    ['documents.number', d.number],
                    ['documents.revision', String(d.revision)],
                    ['documents.kind', t(kindKey(d.kind))],
                    ['documents.title', d.title],
                    ['documents.owner', d.owner],
                    ['documents.author', d.author.name],
                    ['documents.contentEditor', d.contentEditor?.name ?? ''],
                    ['documents.effectiveAt', formatDateTime(d.effectiveAt)],
                    ['documents.review.interval', t('documents.review.months', { count: d.reviewIntervalMonths })],
                    ['documents.review.next', d.nextReviewOn ?? ''],
                    ['documents.review.last', d.lastReviewedOn ?? ''],
                    ['documents.updatedAt', formatDateTime(d.updatedAt)],
                  ] as const
                ).map(([key, value]) => (
                  <Table.Tr key={key}>
                    <Table.Th w={200}>{t(key)}</Table.Th>
                    <Table.Td>{value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {d.summary && <Text>{d.summary}</Text>}
            {d.body && !d.contentHtml && (
              <Text style={{ whiteSpace: 'pre-wrap' }} size="sm">
                {d.body}
              </Text>
            )}
          </Stack>
        }
      />
      {reviewing && (
        <SignatureDialog
          opened
          onClose={() => setReviewing(false)}
          meaning="reviewed"
          recordLabel={label}
          totp={me.totpEnrolled}
          description={t('documents.review.description', { months: d.reviewIntervalMonths })}
          sign={review}
        />
      )}
      {step && current?.meaning ? (
        <SignatureDialog
          opened
          onClose={() => setStep(null)}
          meaning={current.meaning}
          recordLabel={label}
          totp={me.totpEnrolled}
          commentRequired={current.reasonRequired}
          sign={(input) => sign(step, input)}
        />
      ) : (
        step && <StepDialog label={label} step={step} onClose={() => setStep(null)} move={move} />
      )}
    </>
  );
}
