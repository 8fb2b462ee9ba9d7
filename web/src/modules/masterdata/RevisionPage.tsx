import { Alert, Button, Group, Stack, Tabs, Text } from '@mantine/core';
import { IconGitBranch, IconLock, IconPencil } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { FormModal, ReasonInput } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { notifySuccess } from '../../components/notify';
import { RecordPage } from '../../components/RecordPage';
import { SignatureDialog } from '../../components/SignatureDialog';
import type { Signature, SignatureInput } from '../../components/signatures';
import { BomSection } from './BomSection';
import { QueryStatus, RevisionStatus } from './common';
import { ExplosionSection } from './ExplosionSection';
import { useCreateKey, useFormMutation } from './forms';
import { ChangeDescriptionInput, NextRevisionModal } from './NextRevisionModal';
import { RoutingSection } from './RoutingSection';
import { ITEM } from './records';
import type { Item, ItemRevision, ItemRevisionDetail } from './types';

/** What each next status means to a person; the server's lifecycle says which are allowed now. */
const STEPS: Record<string, { labelKey: string; permission: string; color?: string; reasonRequired?: boolean; signed?: boolean }> = {
  in_review: { labelKey: 'masterdata.revisions.submit', permission: P.masterdataWrite },
  draft: { labelKey: 'masterdata.revisions.returnToDraft', permission: P.masterdataWrite, color: 'orange' },
  obsolete: { labelKey: 'masterdata.revisions.withdraw', permission: P.masterdataWrite, color: 'red', reasonRequired: true },
  released: { labelKey: 'masterdata.revisions.release', permission: P.masterdataSignReleased, color: 'green', signed: true },
};

/**
 * The controlled record of an item: one revision with its BOM and routing. A draft is edited
 * here; review, release by e-signature and withdrawal follow the server's lifecycle; a released
 * revision is read-only and shows who released it, when, and with what meaning.
 */
export function RevisionPage() {
  const { t } = useTranslation();
  const { revisionId } = useParams({ from: '/app/item-revisions/$revisionId' });
  const me = useMe();
  const queryClient = useQueryClient();
  const revision = useQuery({
    queryKey: ['item-revision', revisionId],
    queryFn: () => get<ItemRevisionDetail>(`/item-revisions/${revisionId}`),
  });
  const itemId = revision.data?.itemId;
  const item = useQuery({
    queryKey: [ITEM.queryKey, itemId],
    queryFn: () => get<Item>(`${ITEM.path}/${itemId}`),
    enabled: Boolean(itemId),
  });
  const [step, setStep] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [starting, setStarting] = useState(false);
  // From the released revision a change starts right here, once nothing else is in work.
  const offerNext = revision.data?.status === 'released' && can(me, P.masterdataWrite);
  const revisions = useQuery({
    queryKey: [ITEM.queryKey, itemId, 'revisions'],
    queryFn: () => get<{ items: ItemRevision[] }>(`/items/${itemId}/revisions`),
    enabled: Boolean(itemId) && offerNext,
  });
  const inWork = revisions.data?.items.some((x) => x.status === 'draft' || x.status === 'in_review') ?? true;

  if (!revision.isSuccess) return <QueryStatus query={revision} />;
  if (!item.isSuccess) return <QueryStatus query={item} />;
  const r = revision.data;
  const i = item.data;
  const draft = r.status === 'draft';
  const editable = draft && can(me, P.masterdataWrite);
  const label = `${i.code} ${t('masterdata.revisions.rev', { revision: r.revision })} — ${i.name}`;

  /** After a step everything that shows the revision's status reads it again. */
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['item-revision', r.id] }),
      queryClient.invalidateQueries({ queryKey: [ITEM.queryKey, r.itemId] }),
      queryClient.invalidateQueries({ queryKey: ['list', ITEM.path] }),
      queryClient.invalidateQueries({ queryKey: ['audit', 'item_revisions', r.id] }),
      queryClient.invalidateQueries({ queryKey: ['signatures', 'item_revisions', r.id] }),
    ]);
  };

  const actions = [
    ...r.allowedTransitions
      .filter((to) => STEPS[to] && can(me, STEPS[to].permission))
      .map((to) => (
        <Button key={to} variant={STEPS[to]!.signed ? 'filled' : 'light'} color={STEPS[to]!.color} onClick={() => setStep(to)}>
          {t(STEPS[to]!.labelKey)}
        </Button>
      )),
    ...(offerNext && !inWork
      ? [
          <Button key="next" leftSection={<IconGitBranch size={16} />} onClick={() => setStarting(true)}>
            {t('masterdata.items.nextRevision')}
          </Button>,
        ]
      : []),
  ];

  return (
    <>
      <RecordPage
        list={{ to: '/items', labelKey: 'nav.items' }}
        title={`${i.code} ${t('masterdata.revisions.rev', { revision: r.revision })}`}
        subtitle={i.name}
        status={<RevisionStatus status={r.status} />}
        record={{ entity: 'item_revisions', id: r.id }}
        signed
        actions={actions}
        details={
          <Stack gap="lg">
            {r.signatures.map((s) => (
              <Manifestation key={s.id} signature={s} />
            ))}
            {!draft && (
              <Alert color={r.status === 'in_review' ? 'yellow' : 'gray'} icon={<IconLock size={18} />} data-testid="read-only">
                {t(`masterdata.revisions.readOnly.${r.status}`, { revision: r.revision })}{' '}
                {r.status !== 'in_review' && (
                  <AnchorLink to="/items/$itemId" params={{ itemId: i.id }}>
                    {t('masterdata.revisions.toItem', { code: i.code })}
                  </AnchorLink>
                )}
              </Alert>
            )}
            <Details
              rows={[
                [
                  'masterdata.revisions.item',
                  <AnchorLink key="i" to="/items/$itemId" params={{ itemId: i.id }}>
                    {i.code} · {i.name}
                  </AnchorLink>,
                ],
                [
                  'masterdata.revisions.description',
                  <Group key="d" justify="space-between" wrap="nowrap" align="flex-start">
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {r.description || '—'}
                    </Text>
                    {editable && (
                      <Button size="compact-sm" variant="subtle" leftSection={<IconPencil size={14} />} onClick={() => setEditing(true)}>
                        {t('masterdata.edit')}
                      </Button>
                    )}
                  </Group>,
                ],
                // Release and obsolescence are shown once they happened.
                ...(r.releasedAt
                  ? ([
                      ['masterdata.revisions.releasedAt', formatDateTime(r.releasedAt)],
                      ['masterdata.revisions.releasedBy', r.releasedBy],
                    ] as Array<[string, string | null]>)
                  : []),
                ...(r.obsoletedAt
                  ? ([['masterdata.revisions.obsoletedAt', formatDateTime(r.obsoletedAt)]] as Array<[string, string]>)
                  : []),
              ]}
            />
            <Tabs defaultValue="bom" variant="outline" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="bom">{t('masterdata.bom.title')}</Tabs.Tab>
                <Tabs.Tab value="routing">{t('masterdata.routing.title')}</Tabs.Tab>
                <Tabs.Tab value="explosion">{t('masterdata.explosion.title')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="bom" pt="md">
                <BomSection revision={r} item={i} editable={editable} />
              </Tabs.Panel>
              <Tabs.Panel value="routing" pt="md">
                <RoutingSection revision={r} item={i} editable={editable} />
              </Tabs.Panel>
              <Tabs.Panel value="explosion" pt="md">
                <ExplosionSection revision={r} item={i} />
              </Tabs.Panel>
            </Tabs>
          </Stack>
        }
      />
      {editing && <DescriptionModal revision={r} onClose={() => setEditing(false)} />}
      {starting && <NextRevisionModal item={i} onClose={() => setStarting(false)} />}
      {step && STEPS[step]?.signed && (
        <ReleaseDialog revision={r} label={label} totp={me.totpEnrolled} onClose={() => setStep(null)} onSigned={refresh} />
      )}
      {step && !STEPS[step]?.signed && (
        <TransitionDialog revision={r} label={label} to={step} onClose={() => setStep(null)} onDone={refresh} />
      )}
    </>
  );
}

/** Release by e-signature (meaning released): shows the manifestation the server made. */
function ReleaseDialog(props: {
  revision: ItemRevisionDetail;
  label: string;
  totp: boolean;
  onClose: () => void;
  onSigned: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = useCreateKey();
  const { revision } = props;
  const sign = async (input: SignatureInput): Promise<Signature> => {
    await api<ItemRevision>('POST', `/item-revisions/${revision.id}/release`, { body: input, idempotencyKey: key });
    const detail = await get<ItemRevisionDetail>(`/item-revisions/${revision.id}`);
    queryClient.setQueryData(['item-revision', revision.id], detail);
    void props.onSigned();
    const made = detail.signatures.find((s) => s.meaning === 'released' && !revision.signatures.some((b) => b.id === s.id));
    if (!made) throw new Error(t('signature.missing'));
    return made;
  };
  return <SignatureDialog opened onClose={props.onClose} meaning="released" recordLabel={props.label} totp={props.totp} sign={sign} />;
}

/** An unsigned step: submit for review, return to draft, or withdraw a draft with the reason. */
function TransitionDialog(props: {
  revision: ItemRevisionDetail;
  label: string;
  to: string;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const key = useCreateKey();
  const [comment, setComment] = useState('');
  const s = STEPS[props.to]!;
  const run = useMutation({
    mutationFn: () =>
      api<ItemRevision>('POST', `/item-revisions/${props.revision.id}/transitions`, {
        body: { to: props.to, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        idempotencyKey: key,
      }),
    meta: { handlesErrors: true },
    onSuccess: async () => {
      await props.onDone();
      notifySuccess(t('masterdata.revisions.moved', { status: t(`masterdata.revisionStatuses.${props.to}`) }));
      props.onClose();
    },
  });
  return (
    <FormModal
      title={t(s.labelKey)}
      onClose={props.onClose}
      onSubmit={(e) => {
        e.preventDefault();
        run.mutate();
      }}
      save={run}
      submitLabel={t(s.labelKey)}
      submitColor={s.color}
      submitDisabled={s.reasonRequired && !comment.trim()}
      lead={
        <>
          <Text fw={600}>{props.label}</Text>
          <Text size="sm">{t(`masterdata.revisions.stepHelp.${props.to}`)}</Text>
        </>
      }
    >
      <ReasonInput
        label={s.reasonRequired ? t('common.reason') : t('signature.comment')}
        required={s.reasonRequired}
        data-autofocus
        value={comment}
        onChange={setComment}
      />
    </FormModal>
  );
}

/** A draft's description of the change; saved with the revision's If-Match. */
function DescriptionModal({ revision, onClose }: { revision: ItemRevisionDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useSchemaForm(useRequestSchema('PATCH', '/item-revisions/:id'), { description: revision.description });
  const save = useFormMutation(form, {
    send: (body: { description: string }) =>
      api<ItemRevision>('PATCH', `/item-revisions/${revision.id}`, { body, version: revision.version }),
    onSaved: async () => {
      await queryClient.invalidateQueries({ queryKey: ['item-revision', revision.id] });
      void queryClient.invalidateQueries({ queryKey: [ITEM.queryKey, revision.itemId, 'revisions'] });
      notifySuccess(t('common.saved'));
      onClose();
    },
  });
  return (
    <FormModal
      title={t('masterdata.revisions.editDescription')}
      size="lg"
      onClose={onClose}
      onSubmit={form.submit((body) => save.mutate(body))}
      save={save}
      submitLabel={t('common.save')}
    >
      <ChangeDescriptionInput {...form.field('description')} />
    </FormModal>
  );
}
