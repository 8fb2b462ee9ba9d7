import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconLock, IconPlus, IconTrash } from '@tabler/icons-react';
import { type UseQueryResult, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TSchema } from 'typebox';
import { ApiError, api, get } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { typedDecimal } from '../../components/decimal';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import { RecordPage, type RecordTab } from '../../components/RecordPage';
import { problemMessage } from '../../i18n';
import { DiscontinuedNotice, SwitchingTab, useSwitchingStates } from './SwitchingTab';
import type { Named, Plan, SamplingStateRow } from './types';

interface CharacteristicInput {
  name: string;
  kind: 'attribute' | 'variable';
  lowerLimit?: string;
  upperLimit?: string;
  unit?: string;
}

interface PlanInput {
  [key: string]: unknown;
  aql: string;
  inspectionLevel: string;
  characteristics: CharacteristicInput[];
}

const planKey = (itemId: string) => ['quality', 'plan', itemId];

/** The values an enum field of the server's schema allows (`enum`, or a union of constants). */
function enumOf(schema: TSchema | undefined, field: string): string[] {
  const prop = (schema as { properties?: Record<string, { enum?: string[]; anyOf?: Array<{ const?: string }> }> } | undefined)
    ?.properties?.[field];
  return prop?.enum ?? prop?.anyOf?.map((b) => b.const).filter((v): v is string => typeof v === 'string') ?? [];
}

/**
 * An item's incoming inspection plan: AQL, inspection level and characteristics with limits and
 * unit; and, per supplier, where the switching rules stand and the decisions they leave to QA.
 */
export function PlanPage() {
  const { t } = useTranslation();
  const { itemId } = useParams({ from: '/app/quality/plans/$itemId' });
  const plan = useQuery({
    queryKey: planKey(itemId),
    queryFn: () => get<Plan>(`/quality/inspection-plans/${itemId}`),
    retry: false,
    meta: { handlesErrors: true },
  });
  const missing = plan.error instanceof ApiError && plan.error.status === 404;
  const item = useQuery({
    queryKey: ['quality', 'item', itemId],
    queryFn: () => get<Named>(`/items/${itemId}`),
    enabled: missing,
  });
  const states = useSwitchingStates(itemId);

  if (plan.isPending || (missing && item.isPending)) return <Loader aria-label={t('common.loading')} />;
  if (plan.isError && !missing) return <Alert color="red">{problemMessage(plan.error)}</Alert>;
  if (missing) {
    if (item.isError) return <Alert color="red">{problemMessage(item.error)}</Alert>;
    // No plan yet: the same page, with the form to make one and no history until it exists.
    return (
      <RecordPage
        list={{ to: '/quality/plans', labelKey: 'nav.inspectionPlans' }}
        title={item.data!.code}
        subtitle={item.data!.name}
        notice={
          <>
            <DiscontinuedNotice states={states.data} />
            <Alert color="blue">{t('quality.plans.none')}</Alert>
          </>
        }
        details={<PlanForm itemId={itemId} plan={null} />}
        tabs={[switchingTab(item.data!, states)]}
      />
    );
  }
  const p = plan.data!;
  return (
    <RecordPage
      list={{ to: '/quality/plans', labelKey: 'nav.inspectionPlans' }}
      title={p.item.code}
      subtitle={p.item.name}
      record={{ entity: 'inspection_plans', id: p.id }}
      notice={<DiscontinuedNotice states={states.data} />}
      details={<PlanForm key={p.version} itemId={itemId} plan={p} />}
      tabs={[switchingTab(p.item, states)]}
    />
  );
}

/** Where the switching rules stand for the item, per supplier: what its next lots are inspected on. */
function switchingTab(item: Named, states: UseQueryResult<SamplingStateRow[]>): RecordTab {
  return {
    value: 'switching',
    labelKey: 'quality.switching.tab',
    count: states.data?.length,
    panel: <SwitchingTab item={item} states={states} />,
  };
}

function PlanForm({ itemId, plan }: { itemId: string; plan: Plan | null }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const schema = useRequestSchema('PUT', '/quality/inspection-plans/:itemId');
  const form = useSchemaForm<PlanInput>(schema, {
    aql: plan?.aql ?? '1.0',
    inspectionLevel: plan?.inspectionLevel ?? 'II',
    characteristics: plan?.characteristics.map(({ name, kind, lowerLimit, upperLimit, unit }) => ({
      name,
      kind,
      ...(lowerLimit !== null ? { lowerLimit } : {}),
      ...(upperLimit !== null ? { upperLimit } : {}),
      ...(unit !== null ? { unit } : {}),
    })) ?? [{ name: '', kind: 'attribute' }],
  });
  const [keys, setKeys] = useState(() => form.values.characteristics.map(() => crypto.randomUUID()));
  const save = useMutation({
    mutationFn: (body: PlanInput) => api<Plan>('PUT', `/quality/inspection-plans/${itemId}`, { body, version: plan?.version }),
    meta: { handlesErrors: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(planKey(itemId), saved);
      void queryClient.invalidateQueries({ queryKey: ['list', '/quality/inspection-plans'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'inspection_plans', saved.id] });
      notifySuccess(t('common.saved'));
    },
    onError: (err) => form.showProblem(err),
  });

  const locked = plan?.inUse === true;
  const editable = can(me, P.qualityInspect) && !locked;
  const rows = form.values.characteristics;
  const setRows = (next: CharacteristicInput[], nextKeys = keys) => {
    setKeys(nextKeys);
    form.set('characteristics', next);
  };
  const setRow = (i: number, patch: Partial<CharacteristicInput>) => {
    const next = rows.map((r, j) => {
      if (j !== i) return r;
      const merged: CharacteristicInput = { ...r, ...patch };
      // An attribute is judged conforming or not: it has no limits and no unit.
      if (merged.kind === 'attribute') for (const k of ['lowerLimit', 'upperLimit', 'unit'] as const) delete merged[k];
      return merged;
    });
    form.set('characteristics', next);
  };
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    const next = [...rows];
    const nextKeys = [...keys];
    [next[i], next[j]] = [next[j]!, next[i]!];
    [nextKeys[i], nextKeys[j]] = [nextKeys[j]!, nextKeys[i]!];
    setRows(next, nextKeys);
  };
  const aqls = enumOf(schema, 'aql');
  const levels = enumOf(schema, 'inspectionLevel');

  return (
    <form noValidate onSubmit={form.submit((body) => save.mutate(body))}>
      <Stack gap="md">
        {locked && (
          <Alert color="orange" icon={<IconLock size={18} />} title={t('quality.plans.lockedTitle')} data-testid="plan-locked">
            {t('quality.plans.locked')}
          </Alert>
        )}
        {save.error && !Object.keys(form.errors).length && (
          <Alert color="red" role="alert">
            {problemMessage(save.error)}
          </Alert>
        )}
        <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }} maw={520}>
              <Select
                label={t('quality.sampling.aql')}
                description={t('quality.plans.aqlHelp')}
                data={aqls}
                allowDeselect={false}
                searchable
                {...form.field('aql')}
              />
              <Select
                label={t('quality.sampling.level')}
                description={t('quality.plans.levelHelp')}
                data={levels}
                allowDeselect={false}
                {...form.field('inspectionLevel')}
              />
            </SimpleGrid>
            <Title order={2} size="h4">
              {t('quality.plans.characteristics')}
            </Title>
            {form.errors.characteristics && (
              <Text c="red" size="sm">
                {form.errors.characteristics}
              </Text>
            )}
            {rows.map((c, i) => {
              const err = (f?: keyof CharacteristicInput) => form.errors[f ? `characteristics.${i}.${f}` : `characteristics.${i}`];
              return (
                <Paper key={keys[i]} withBorder p="sm" radius="md" data-testid="plan-characteristic">
                  <Group justify="space-between" mb="xs">
                    <Text fw={600}>{t('quality.plans.characteristicN', { n: i + 1 })}</Text>
                    {editable && (
                      <Group gap={4}>
                        <ActionIcon variant="subtle" aria-label={t('quality.plans.moveUp')} disabled={i === 0} onClick={() => move(i, -1)}>
                          <IconArrowUp size={16} />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          aria-label={t('quality.plans.moveDown')}
                          disabled={i === rows.length - 1}
                          onClick={() => move(i, 1)}
                        >
                          <IconArrowDown size={16} />
                        </ActionIcon>
                        <Tooltip label={t('quality.plans.remove')}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t('quality.plans.remove')}
                            disabled={rows.length === 1}
                            onClick={() =>
                              setRows(
                                rows.filter((_, j) => j !== i),
                                keys.filter((_, j) => j !== i),
                              )
                            }
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    )}
                  </Group>
                  <SimpleGrid cols={{ base: 1, sm: 2, lg: c.kind === 'variable' ? 5 : 2 }} spacing="sm">
                    <TextInput
                      label={t('quality.plans.name')}
                      required
                      value={c.name}
                      error={err('name')}
                      onChange={(e) => setRow(i, { name: e.currentTarget.value })}
                    />
                    <Stack gap={4}>
                      <Text size="sm" fw={500}>
                        {t('quality.plans.kind')}
                      </Text>
                      <SegmentedControl
                        data={[
                          { value: 'attribute', label: t('quality.characteristicKinds.attribute') },
                          { value: 'variable', label: t('quality.characteristicKinds.variable') },
                        ]}
                        value={c.kind}
                        onChange={(kind) => setRow(i, { kind: kind as CharacteristicInput['kind'] })}
                      />
                    </Stack>
                    {c.kind === 'variable' && (
                      <>
                        <TextInput
                          label={t('quality.plans.lowerLimit')}
                          inputMode="decimal"
                          value={c.lowerLimit ?? ''}
                          error={err('lowerLimit')}
                          onChange={(e) => setRow(i, { lowerLimit: e.currentTarget.value })}
                          onBlur={() => c.lowerLimit && setRow(i, { lowerLimit: typedDecimal(c.lowerLimit) })}
                        />
                        <TextInput
                          label={t('quality.plans.upperLimit')}
                          inputMode="decimal"
                          value={c.upperLimit ?? ''}
                          error={err('upperLimit')}
                          onChange={(e) => setRow(i, { upperLimit: e.currentTarget.value })}
                          onBlur={() => c.upperLimit && setRow(i, { upperLimit: typedDecimal(c.upperLimit) })}
                        />
                        <TextInput
                          label={t('quality.plans.unit')}
                          required
                          value={c.unit ?? ''}
                          error={err('unit')}
                          onChange={(e) => setRow(i, { unit: e.currentTarget.value })}
                        />
                      </>
                    )}
                  </SimpleGrid>
                  {err() && (
                    <Text c="red" size="sm" mt={4}>
                      {err()}
                    </Text>
                  )}
                </Paper>
              );
            })}
            {editable && (
              <Group justify="space-between">
                <Button
                  variant="light"
                  leftSection={<IconPlus size={16} />}
                  disabled={rows.length >= 50}
                  onClick={() => setRows([...rows, { name: '', kind: 'attribute' }], [...keys, crypto.randomUUID()])}
                >
                  {t('quality.plans.add')}
                </Button>
                <Button type="submit" loading={save.isPending}>
                  {plan ? t('quality.plans.save') : t('quality.plans.create')}
                </Button>
              </Group>
            )}
          </Stack>
        </fieldset>
      </Stack>
    </form>
  );
}
