import { Select, Stack, Textarea, TextInput } from '@mantine/core';
import { NOTIFICATION_METHODS, type RecallAnswer, type RecallNotification } from '@server/modules/recall/contract';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { meQuery } from '../../auth/session';
import { FormModal, ReasonInput } from '../../components/FormModal';
import { todayIn, useCurrentSite } from '../inventory/calendar';
import type { RecallDetail } from './types';

export const recallKey = (id: string) => ['recall', id];

/** Today in the recall's site calendar, as the server reckons a recall's days. */
function useSiteToday(siteId: string | null): string {
  const { data: me } = useSuspenseQuery(meQuery);
  const current = useCurrentSite();
  return todayIn((me.sites.find((s) => s.id === siteId) ?? current)?.timeZone);
}

/** A China recall level or an FDA class, 1 to 3, or none yet. */
function LevelSelect(props: { scheme: 'china' | 'fda'; value: string | null; onChange: (value: string | null) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      label={t(props.scheme === 'china' ? 'recall.chinaLevel' : 'recall.fdaClass')}
      placeholder={t('recall.noLevel')}
      clearable
      data={['1', '2', '3'].map((l) => ({ value: l, label: t(`recall.${props.scheme}Levels.${l}`) }))}
      value={props.value}
      onChange={props.onChange}
    />
  );
}

const level = (value: string | null) => (value ? Number(value) : null);

/** Keeps a query's answer as a draft recall, with its title, reason and (optionally) its classification. */
export function KeepRecallForm({ answer, onClose }: { answer: RecallAnswer; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [f, setF] = useState({ title: '', reason: '', healthHazard: '' });
  const [chinaLevel, setChinaLevel] = useState<string | null>(null);
  const [fdaClass, setFdaClass] = useState<string | null>(null);
  const field = (key: keyof typeof f) => ({
    value: f[key],
    onChange: (e: { currentTarget: { value: string } }) => setF({ ...f, [key]: e.currentTarget.value }),
  });
  const save = useMutation({
    mutationFn: () =>
      api<RecallDetail>('POST', '/recalls', {
        idempotencyKey,
        body: {
          title: f.title.trim(),
          reason: f.reason.trim(),
          start: answer.start,
          chinaLevel: level(chinaLevel),
          fdaClass: level(fdaClass),
          ...(f.healthHazard.trim() ? { healthHazard: f.healthHazard.trim() } : {}),
        },
      }),
    meta: { handlesErrors: true },
    onSuccess: (recall) => {
      queryClient.setQueryData(recallKey(recall.id), recall);
      void queryClient.invalidateQueries({ queryKey: ['list', '/recalls'] });
      onClose();
      void navigate({ to: '/recalls/$recallId', params: { recallId: recall.id } });
    },
  });
  return (
    <FormModal
      title={t('recall.keepTitle')}
      size="lg"
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      save={save}
      submitLabel={t('recall.keep')}
      submitDisabled={!f.title.trim() || !f.reason.trim()}
    >
      <Stack>
        <TextInput label={t('recall.title')} required maxLength={200} data-autofocus {...field('title')} />
        <Textarea label={t('recall.reason')} required maxLength={4000} autosize minRows={2} {...field('reason')} />
        <LevelSelect scheme="china" value={chinaLevel} onChange={setChinaLevel} />
        <LevelSelect scheme="fda" value={fdaClass} onChange={setFdaClass} />
        <Textarea label={t('recall.healthHazard')} maxLength={4000} autosize minRows={2} {...field('healthHazard')} />
      </Stack>
    </FormModal>
  );
}

/** Puts the recall the server answered into the page, and lets the list and the history refresh. */
function useRecallStep<Body>(recall: RecallDetail, send: (body: Body) => Promise<RecallDetail>, onDone: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    meta: { handlesErrors: true },
    onSuccess: (fresh) => {
      queryClient.setQueryData(recallKey(recall.id), fresh);
      void queryClient.invalidateQueries({ queryKey: ['list', '/recalls'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'recalls', recall.id] });
      onDone();
    },
  });
}

/** A draft's classification and health hazard assessment, changed only over the version read (If-Match). */
export function ClassificationForm({ recall, onClose }: { recall: RecallDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [chinaLevel, setChinaLevel] = useState(recall.chinaLevel ? String(recall.chinaLevel) : null);
  const [fdaClass, setFdaClass] = useState(recall.fdaClass ? String(recall.fdaClass) : null);
  const [healthHazard, setHealthHazard] = useState(recall.healthHazard ?? '');
  const save = useRecallStep(
    recall,
    () =>
      api<RecallDetail>('PATCH', `/recalls/${recall.id}`, {
        version: recall.version,
        body: { chinaLevel: level(chinaLevel), fdaClass: level(fdaClass), healthHazard: healthHazard.trim() || null },
      }),
    onClose,
  );
  return (
    <FormModal
      title={t('recall.editClassification')}
      size="lg"
      onClose={onClose}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
      save={save}
      submitLabel={t('common.save')}
    >
      <LevelSelect scheme="china" value={chinaLevel} onChange={setChinaLevel} />
      <LevelSelect scheme="fda" value={fdaClass} onChange={setFdaClass} />
      <Textarea
        label={t('recall.healthHazard')}
        maxLength={4000}
        autosize
        minRows={3}
        value={healthHazard}
        onChange={(e) => setHealthHazard(e.currentTarget.value)}
      />
    </FormModal>
  );
}

/** Cancels a draft (a recall simulation not pursued), with the reason. */
export function CancelRecallForm({ recall, onClose }: { recall: RecallDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const save = useRecallStep(
    recall,
    () => api<RecallDetail>('POST', `/recalls/${recall.id}/transitions`, { body: { to: 'cancelled', comment: reason.trim() } }),
    onClose,
  );
  return (
    <FormModal
      title={`${t('recall.cancel')} — ${recall.number}`}
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
      save={save}
      submitLabel={t('recall.cancel')}
      submitColor="red"
      submitDisabled={!reason.trim()}
    >
      <ReasonInput required maxLength={2000} value={reason} onChange={setReason} data-autofocus />
    </FormModal>
  );
}

/** The report to the authority: its day and reference. */
export function ReportForm({ recall, onClose }: { recall: RecallDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const today = useSiteToday(recall.siteId);
  const [reportedOn, setReportedOn] = useState(recall.reportedOn ?? today);
  const [reference, setReference] = useState(recall.reportReference ?? '');
  const save = useRecallStep(
    recall,
    () => api<RecallDetail>('POST', `/recalls/${recall.id}/report`, { body: { reportedOn, reference: reference.trim() } }),
    onClose,
  );
  return (
    <FormModal
      title={t('recall.report')}
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
      save={save}
      submitLabel={t('common.save')}
      submitDisabled={!reportedOn || !reference.trim()}
    >
      <TextInput
        label={t('recall.reportedOn')}
        type="date"
        required
        value={reportedOn}
        onChange={(e) => setReportedOn(e.currentTarget.value)}
      />
      <TextInput
        label={t('recall.reportReference')}
        required
        maxLength={200}
        value={reference}
        onChange={(e) => setReference(e.currentTarget.value)}
        data-autofocus
      />
    </FormModal>
  );
}

/** A notice sent to one of the customers the recall reached. */
export function NoticeForm({ recall, onClose }: { recall: RecallDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const notified = new Set(recall.notifications.map((n) => n.customerId));
  const [customerId, setCustomerId] = useState<string | null>(
    recall.answer.customers.find((c) => !notified.has(c.customerId))?.customerId ?? null,
  );
  const customer = recall.answer.customers.find((c) => c.customerId === customerId);
  const [method, setMethod] = useState<string | null>('letter');
  const today = useSiteToday(recall.siteId);
  const [f, setF] = useState({ sentOn: today, sentTo: customer?.contact ?? '', note: '' });
  const field = (key: keyof typeof f) => ({
    value: f[key],
    onChange: (e: { currentTarget: { value: string } }) => setF({ ...f, [key]: e.currentTarget.value }),
  });
  const save = useMutation({
    mutationFn: () =>
      api<RecallNotification>('POST', `/recalls/${recall.id}/notifications`, {
        idempotencyKey,
        body: { customerId, method, sentOn: f.sentOn, sentTo: f.sentTo.trim(), ...(f.note.trim() ? { note: f.note.trim() } : {}) },
      }),
    meta: { handlesErrors: true },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: recallKey(recall.id) });
      onClose();
    },
  });
  return (
    <FormModal
      title={t('recall.notify')}
      size="lg"
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      save={save}
      submitLabel={t('recall.notify')}
      submitDisabled={!customerId || !method || !f.sentOn || !f.sentTo.trim()}
    >
      <Select
        label={t('recall.customer')}
        required
        searchable
        data={recall.answer.customers.map((c) => ({ value: c.customerId, label: `${c.code} — ${c.name}` }))}
        value={customerId}
        onChange={(id) => {
          setCustomerId(id);
          setF({ ...f, sentTo: recall.answer.customers.find((c) => c.customerId === id)?.contact ?? '' });
        }}
      />
      <Select
        label={t('recall.method')}
        required
        data={NOTIFICATION_METHODS.map((m) => ({ value: m, label: t(`recall.methods.${m}`) }))}
        value={method}
        onChange={setMethod}
      />
      <TextInput label={t('recall.sentOn')} type="date" required {...field('sentOn')} />
      <TextInput label={t('recall.sentTo')} required maxLength={300} {...field('sentTo')} />
      <Textarea label={t('recall.note')} maxLength={2000} autosize minRows={2} {...field('note')} />
    </FormModal>
  );
}

/** A customer's acknowledgement of a notice, with the units it reports accounted for. */
export function AcknowledgementForm(props: { recall: RecallDetail; notice: RecallNotification; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const today = useSiteToday(props.recall.siteId);
  const [f, setF] = useState({ acknowledgedOn: today, acknowledgedBy: '', unitsAccounted: '', note: '' });
  const field = (key: keyof typeof f) => ({
    value: f[key],
    onChange: (e: { currentTarget: { value: string } }) => setF({ ...f, [key]: e.currentTarget.value }),
  });
  const save = useMutation({
    mutationFn: () =>
      api<RecallNotification>('POST', `/recalls/${props.recall.id}/notifications/${props.notice.id}/acknowledgement`, {
        body: {
          acknowledgedOn: f.acknowledgedOn,
          acknowledgedBy: f.acknowledgedBy.trim(),
          unitsAccounted: f.unitsAccounted.trim(),
          ...(f.note.trim() ? { note: f.note.trim() } : {}),
        },
      }),
    meta: { handlesErrors: true },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: recallKey(props.recall.id) });
      props.onClose();
    },
  });
  return (
    <FormModal
      title={`${t('recall.acknowledge')} — ${props.notice.customerName}`}
      onClose={props.onClose}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      save={save}
      submitLabel={t('recall.acknowledge')}
      submitDisabled={!f.acknowledgedOn || !f.acknowledgedBy.trim() || !f.unitsAccounted.trim()}
    >
      <TextInput label={t('recall.acknowledgedOn')} type="date" required {...field('acknowledgedOn')} />
      <TextInput label={t('recall.acknowledgedByLabel')} required maxLength={200} data-autofocus {...field('acknowledgedBy')} />
      <TextInput label={t('recall.unitsAccounted')} required inputMode="decimal" {...field('unitsAccounted')} />
      <Textarea label={t('recall.note')} maxLength={2000} autosize minRows={2} {...field('note')} />
    </FormModal>
  );
}
