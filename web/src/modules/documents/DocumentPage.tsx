import { Alert, Badge, Button, Loader, Table } from '@mantine/core';
import { useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { meQuery } from '../../auth/session';
import { formatDateTime } from '../../components/format';
import { RecordPage } from '../../components/RecordPage';
import { SignatureDialog } from '../../components/SignatureDialog';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';
import type { ControlledDocument, Transition } from './types';

/** A controlled document: details, lifecycle transitions (signed where required), history and signatures. */
export function DocumentPage() {
  const { t } = useTranslation();
  const { documentId } = useParams({ from: '/app/documents/$documentId' });
  const { data: me } = useSuspenseQuery(meQuery);
  const queryClient = useQueryClient();
  const doc = useQuery({ queryKey: ['document', documentId], queryFn: () => get<ControlledDocument>(`/documents/${documentId}`) });
  const [signing, setSigning] = useState<Transition | null>(null);

  if (doc.isPending) return <Loader aria-label={t('common.loading')} />;
  if (doc.isError) return <Alert color="red">{problemMessage(doc.error)}</Alert>;
  const d = doc.data;

  const transition = async (tr: Transition, signature?: SignatureInput): Promise<Signature> => {
    const result = await post<{ document: ControlledDocument; signature: Signature }>(`/documents/${d.id}/transitions`, {
      action: tr.action,
      ...(signature ? { signature } : {}),
    });
    queryClient.setQueryData(['document', d.id], result.document);
    void queryClient.invalidateQueries({ queryKey: ['signatures', 'documents', d.id] });
    void queryClient.invalidateQueries({ queryKey: ['audit', 'documents', d.id] });
    return result.signature;
  };

  return (
    <>
      <RecordPage
        list={{ to: '/documents', labelKey: 'nav.documents' }}
        title={`${d.number} ${t('documents.rev', { revision: d.revision })}`}
        subtitle={d.title}
        status={<Badge variant="light">{d.status}</Badge>}
        record={{ entity: 'documents', id: d.id }}
        signed
        actions={(d.transitions ?? []).map((tr) => (
          <Button key={tr.action} variant="light" onClick={() => (tr.signatureMeaning ? setSigning(tr) : void transition(tr))}>
            {tr.action}
          </Button>
        ))}
        details={
          <Table variant="vertical" withTableBorder>
            <Table.Tbody>
              {(
                [
                  ['documents.number', d.number],
                  ['documents.title', d.title],
                  ['documents.revision', d.revision],
                  ['documents.status', d.status],
                  ['documents.createdAt', formatDateTime(d.createdAt)],
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
        }
      />
      {signing?.signatureMeaning && (
        <SignatureDialog
          opened
          onClose={() => setSigning(null)}
          meaning={signing.signatureMeaning}
          recordLabel={`${d.number} ${t('documents.rev', { revision: d.revision })} — ${d.title}`}
          totp={me.totpEnrolled}
          sign={(input) => transition(signing, input)}
        />
      )}
    </>
  );
}
