import { Alert, Badge, Button, Group, Modal, NumberInput, Paper, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconClipboardText, IconDeviceFloppy } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { type ClipboardEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { useSchemaForm } from '../../components/form';
import { formatDateTime } from '../../components/format';
import { problemMessage } from '../../i18n';
import { limitsText, nonconformingValues, outOfLimits, splitPasted } from './sample';
import type { Characteristic, Inspection, InspectionResult } from './types';

type ResultBody = { [key: string]: unknown; defectives?: number | string; measurements?: string[] };

/** What a characteristic's entry currently says, for the running count of the whole sample. */
export interface Draft {
  /** Nonconforming units the entry shows now (typed, not yet saved, or saved). */
  nonconforming: number | undefined;
  dirty: boolean;
}

interface Props {
  inspection: Inspection;
  characteristic: Characteristic;
  result: InspectionResult | undefined;
  /** May record results (quality:inspect) and the inspection is still open. */
  editable: boolean;
  onDraft: (characteristicId: string, draft: Draft) => void;
  onSaved: (inspection: Inspection) => void;
}

const savedBody = (c: Characteristic, r: InspectionResult | undefined, n: number): ResultBody =>
  c.kind === 'attribute' ? { defectives: r ? r.defectives : '' } : { measurements: r?.measurements ?? Array.from({ length: n }, () => '') };

/**
 * The result of one characteristic: an attribute as the defectives found in the sample, a
 * variable as one measured value per sampled unit (a grid of n, or a column pasted from a
 * spreadsheet) with values outside the limits marked. Checked by the server's schema; saved on
 * its own.
 */
export function ResultEntry({ inspection, characteristic: c, result, editable, onDraft, onSaved }: Props) {
  const { t } = useTranslation();
  const n = inspection.plan.sampleSize;
  const schema = useRequestSchema('PUT', '/quality/inspections/:id/results/:characteristicId');
  const saved = savedBody(c, result, n);
  const form = useSchemaForm<ResultBody>(schema, saved);
  const [pasting, setPasting] = useState(false);
  const values = form.values.measurements ?? [];
  const dirty = JSON.stringify(form.values) !== JSON.stringify(saved);
  const nonconforming =
    c.kind === 'attribute'
      ? typeof form.values.defectives === 'number'
        ? form.values.defectives
        : undefined
      : values.some((v) => v.trim())
        ? nonconformingValues(values, c)
        : undefined;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reports only what changes the running count
  useEffect(() => onDraft(c.id, { nonconforming, dirty }), [c.id, nonconforming, dirty]);

  const save = useMutation({
    mutationFn: (body: ResultBody) =>
      api<Inspection>('PUT', `/quality/inspections/${inspection.id}/results/${c.id}`, {
        body: c.kind === 'attribute' ? { defectives: body.defectives } : { measurements: body.measurements },
      }),
    meta: { handlesErrors: true },
    onSuccess: onSaved,
    onError: (err) => form.showProblem(err),
  });

  const fill = (from: number, pasted: string[]) => {
    const next = [...values];
    pasted.forEach((v, k) => {
      if (from + k < n) next[from + k] = v;
    });
    form.set('measurements', next);
  };
  const onPaste = (i: number) => (e: ClipboardEvent<HTMLInputElement>) => {
    const text = e.clipboardData.getData('text');
    if (!/[\r\n\t;]/.test(text.trim())) return;
    e.preventDefault();
    fill(i, splitPasted(text));
  };
  const entered = values.filter((v) => v.trim()).length;
  const measurementError = Object.entries(form.errors).find(([k]) => k === 'measurements' || k.startsWith('measurements.'));

  return (
    <Paper withBorder p="md" radius="md" data-testid="characteristic" data-characteristic={c.name}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Group gap="xs">
              <Text fw={700}>{c.name}</Text>
              <Badge variant="light" color={c.kind === 'attribute' ? 'grape' : 'cyan'}>
                {t(`quality.characteristicKinds.${c.kind}`)}
              </Badge>
            </Group>
            {c.kind === 'variable' && (
              <Text size="sm" c="dimmed">
                {t('quality.results.limits', { limits: limitsText(c) })}
              </Text>
            )}
          </Stack>
          <Stack gap={2} align="flex-end">
            {nonconforming !== undefined && (
              <Badge size="lg" color={nonconforming > 0 ? 'red' : 'green'} variant="light" data-testid="characteristic-nonconforming">
                {t('quality.results.nonconforming', { count: nonconforming })}
              </Badge>
            )}
            {result ? (
              <Text size="xs" c="dimmed">
                {t('quality.results.recorded', { by: result.recordedBy, at: formatDateTime(result.recordedAt) })}
              </Text>
            ) : (
              <Text size="xs" c="orange">
                {t('quality.results.notRecorded')}
              </Text>
            )}
          </Stack>
        </Group>

        {save.error && !(save.error instanceof ApiError && save.error.problem.errors?.length) && (
          <Alert color="red" role="alert">
            {problemMessage(save.error)}
          </Alert>
        )}

        {c.kind === 'attribute' ? (
          <Group align="flex-end" gap="sm">
            <NumberInput
              size="lg"
              w={340}
              label={t('quality.results.defectives', { n })}
              aria-label={`${c.name}: ${t('quality.results.defectives', { n })}`}
              min={0}
              max={n}
              allowDecimal={false}
              allowNegative={false}
              readOnly={!editable}
              value={form.values.defectives ?? ''}
              error={form.errors.defectives}
              onChange={(v) => form.set('defectives', v)}
            />
          </Group>
        ) : (
          <Stack gap="xs">
            <Group justify="space-between">
              <Text size="sm">{t('quality.results.entered', { entered, n })}</Text>
              {editable && (
                <Button variant="light" size="sm" leftSection={<IconClipboardText size={16} />} onClick={() => setPasting(true)}>
                  {t('quality.results.pasteColumn')}
                </Button>
              )}
            </Group>
            <SimpleGrid cols={{ base: 4, sm: 6, lg: 10 }} spacing={6} verticalSpacing={6} data-testid="measurement-grid">
              {Array.from({ length: n }, (_, i) => {
                const v = values[i] ?? '';
                const out = v.trim() ? outOfLimits(v, c) : false;
                return (
                  <TextInput
                    // biome-ignore lint/suspicious/noArrayIndexKey: the sampled unit's position is its identity
                    key={i}
                    size="sm"
                    aria-label={t('quality.results.unit', { name: c.name, i: i + 1 })}
                    leftSection={
                      <Text size="10px" c="dimmed">
                        {i + 1}
                      </Text>
                    }
                    leftSectionWidth={28}
                    inputMode="decimal"
                    readOnly={!editable}
                    value={v}
                    error={out !== false || Boolean(form.errors[`measurements.${i}`])}
                    data-out-of-limits={out === true ? 'true' : undefined}
                    styles={out === true ? { input: { background: 'var(--mantine-color-red-light)', fontWeight: 700 } } : undefined}
                    onPaste={onPaste(i)}
                    onChange={(e) => fill(i, [e.currentTarget.value])}
                  />
                );
              })}
            </SimpleGrid>
            {measurementError && (
              <Text c="red" size="sm">
                {measurementError[0] === 'measurements'
                  ? measurementError[1]
                  : entered < n
                    ? t('quality.results.allValues', { n })
                    : t('quality.results.notANumber')}
              </Text>
            )}
          </Stack>
        )}

        {editable && (
          <Group justify="flex-end">
            <Button
              leftSection={<IconDeviceFloppy size={18} />}
              size="md"
              disabled={!dirty}
              loading={save.isPending}
              onClick={() => form.submit((body) => save.mutate(body))()}
            >
              {t('quality.results.save')}
            </Button>
          </Group>
        )}
      </Stack>
      {pasting && (
        <PasteColumn
          n={n}
          onClose={() => setPasting(false)}
          onPaste={(pasted) => {
            fill(0, pasted);
            setPasting(false);
          }}
        />
      )}
    </Paper>
  );
}

/** A column copied from a spreadsheet (or typed one value a line), for a tablet without a clipboard. */
function PasteColumn({ n, onClose, onPaste }: { n: number; onClose: () => void; onPaste: (values: string[]) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const values = splitPasted(text);
  return (
    <Modal opened onClose={onClose} title={t('quality.results.pasteColumn')} centered>
      <Stack>
        <Textarea
          label={t('quality.results.pasteHelp', { n })}
          autosize
          minRows={8}
          maxRows={16}
          data-autofocus
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <Text size="sm" c={values.length === n ? 'green' : values.length > n ? 'red' : 'dimmed'}>
          {t('quality.results.pasteCount', { count: values.length, n })}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={values.length === 0} onClick={() => onPaste(values.slice(0, n))}>
            {t('quality.results.fill')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
