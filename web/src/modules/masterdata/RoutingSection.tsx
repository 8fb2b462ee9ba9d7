import {
  ActionIcon,
  Alert,
  Button,
  CloseButton,
  Group,
  List,
  Loader,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, type Page } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { AnchorLink } from '../../components/AnchorLink';
import { useSchemaForm } from '../../components/form';
import { formatDecimal } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { RecordSelect } from '../../components/RecordSelect';
import { problemMessage } from '../../i18n';
import { FormProblem } from './common';
import { placeProblem } from './problems';
import type { DocumentRef, Item, ItemRevision, RoutingOperation, WorkCenter } from './types';

type OperationInput = Pick<
  RoutingOperation,
  'sequence' | 'name' | 'workCenterId' | 'setupMinutes' | 'runMinutesPerUnit' | 'inspectionPoints' | 'workInstructionDocumentId'
>;
type InstructionLabel = NonNullable<RoutingOperation['workInstruction']>;

const instructionText = (w: InstructionLabel) => `${w.number} rev ${w.revision} — ${w.title}`;

/** The routing of a revision: ordered operations with work center, standard times, checks and work instruction. */
export function RoutingSection({ revision, item, editable }: { revision: ItemRevision; item: Item; editable: boolean }) {
  const { t } = useTranslation();
  const routing = useQuery({
    queryKey: ['item-revision', revision.id, 'routing'],
    queryFn: () => get<{ operations: RoutingOperation[] }>(`/item-revisions/${revision.id}/routing`),
  });
  const [editing, setEditing] = useState(false);
  if (routing.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (routing.isError) return <Alert color="red">{problemMessage(routing.error)}</Alert>;
  const operations = routing.data.operations;
  if (editing) return <RoutingEditor revision={revision} operations={operations} onDone={() => setEditing(false)} />;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('masterdata.routing.help', { unit: item.baseUnit })}
        </Text>
        {editable && (
          <Button size="xs" variant="light" leftSection={<IconPencil size={14} />} onClick={() => setEditing(true)}>
            {t('masterdata.routing.edit')}
          </Button>
        )}
      </Group>
      {operations.length === 0 ? (
        <Text c="dimmed">{t('masterdata.routing.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table withTableBorder striped data-testid="routing">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('masterdata.routing.sequence')}</Table.Th>
                <Table.Th>{t('masterdata.routing.name')}</Table.Th>
                <Table.Th>{t('masterdata.routing.workCenter')}</Table.Th>
                <Table.Th>{t('masterdata.routing.setup')}</Table.Th>
                <Table.Th>{t('masterdata.routing.run')}</Table.Th>
                <Table.Th>{t('masterdata.routing.inspectionPoints')}</Table.Th>
                <Table.Th>{t('masterdata.routing.workInstruction')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {operations.map((op) => (
                <Table.Tr key={op.id}>
                  <Table.Td>{op.sequence}</Table.Td>
                  <Table.Td>{op.name}</Table.Td>
                  <Table.Td>
                    <AnchorLink to="/work-centers/$workCenterId" params={{ workCenterId: op.workCenterId }}>
                      {op.workCenterCode}
                    </AnchorLink>
                    <Text size="xs" c="dimmed">
                      {op.workCenterName}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t('masterdata.routing.minutes', { value: formatDecimal(op.setupMinutes) })}</Table.Td>
                  <Table.Td>{t('masterdata.routing.minutes', { value: formatDecimal(op.runMinutesPerUnit) })}</Table.Td>
                  <Table.Td>
                    {op.inspectionPoints.length === 0 ? (
                      '—'
                    ) : (
                      <List size="sm" spacing={2}>
                        {op.inspectionPoints.map((p) => (
                          <List.Item key={p}>{p}</List.Item>
                        ))}
                      </List>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {op.workInstruction && op.workInstructionDocumentId ? (
                      <AnchorLink to="/documents/$documentId" params={{ documentId: op.workInstructionDocumentId }}>
                        {instructionText(op.workInstruction)}
                      </AnchorLink>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

let rowKeys = 0;
const nextRowKey = () => `op-${++rowKeys}`;

function RoutingEditor({ revision, operations, onDone }: { revision: ItemRevision; operations: RoutingOperation[]; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const initial: OperationInput[] = operations.map((op) => ({
    sequence: op.sequence,
    name: op.name,
    workCenterId: op.workCenterId,
    setupMinutes: op.setupMinutes,
    runMinutesPerUnit: op.runMinutesPerUnit,
    inspectionPoints: op.inspectionPoints,
    workInstructionDocumentId: op.workInstructionDocumentId,
  }));
  const form = useSchemaForm<{ operations: OperationInput[] }>(useRequestSchema('PUT', '/item-revisions/:id/routing'), {
    operations: initial,
  });
  const [keys, setKeys] = useState(() => operations.map(nextRowKey));
  const [instructions, setInstructions] = useState(
    () =>
      new Map<string, InstructionLabel>(
        operations.flatMap((op) =>
          op.workInstruction && op.workInstructionDocumentId ? [[op.workInstructionDocumentId, op.workInstruction]] : [],
        ),
      ),
  );
  const workCenters = useQuery({
    queryKey: ['list', '/work-centers', { active: true }, 'all'],
    queryFn: () => get<Page<WorkCenter>>('/work-centers', { active: true, limit: 200 }),
  });
  // An operation may still name a work center that has since been deactivated: keep it choosable.
  const centerOptions = [
    ...(workCenters.data?.items ?? []).map((w) => ({ value: w.id, label: `${w.code} · ${w.name}` })),
    ...operations
      .filter((op) => !workCenters.data?.items.some((w) => w.id === op.workCenterId))
      .map((op) => ({ value: op.workCenterId, label: `${op.workCenterCode} · ${op.workCenterName}` })),
  ].filter((o, i, all) => all.findIndex((x) => x.value === o.value) === i);

  const rows = form.values.operations;
  const change = (i: number, patch: Partial<OperationInput>) =>
    form.set(
      'operations',
      rows.map((op, j) => (j === i ? { ...op, ...patch } : op)),
    );
  const add = () => {
    const sequence = Math.floor(Math.max(0, ...rows.map((op) => op.sequence || 0)) / 10) * 10 + 10;
    form.set('operations', [
      ...rows,
      {
        sequence,
        name: '',
        workCenterId: '',
        setupMinutes: '0',
        runMinutesPerUnit: '0',
        inspectionPoints: [],
        workInstructionDocumentId: null,
      },
    ]);
    setKeys([...keys, nextRowKey()]);
  };
  const remove = (i: number) => {
    form.set(
      'operations',
      rows.filter((_, j) => j !== i),
    );
    setKeys(keys.filter((_, j) => j !== i));
  };
  /** Moves an operation up or down; the two swap their operation numbers, so the order is what is shown. */
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= rows.length) return;
    const next = [...rows];
    const [a, b] = [next[i]!, next[j]!];
    next[i] = { ...b, sequence: a.sequence };
    next[j] = { ...a, sequence: b.sequence };
    form.set('operations', next);
    const k = [...keys];
    [k[i], k[j]] = [k[j]!, k[i]!];
    setKeys(k);
  };
  const save = useMutation({
    mutationFn: (body: { operations: OperationInput[] }) =>
      api<{ operations: RoutingOperation[] }>('PUT', `/item-revisions/${revision.id}/routing`, { body, version: revision.version }),
    meta: { handlesErrors: true },
    onSuccess: async (saved) => {
      queryClient.setQueryData(['item-revision', revision.id, 'routing'], saved);
      await queryClient.invalidateQueries({ queryKey: ['item-revision', revision.id], exact: true });
      notifySuccess(t('masterdata.routing.saved'));
      onDone();
    },
    onError: (err) => placeProblem(form, err),
  });
  const err = (i: number, field: string) => form.errors[`operations.${i}.${field}`];

  return (
    <form noValidate onSubmit={form.submit((body) => save.mutate(body))}>
      <Stack gap="sm">
        <FormProblem error={save.error} placed={false} />
        {rows.length === 0 && <Text c="dimmed">{t('masterdata.routing.empty')}</Text>}
        {rows.map((op, i) => {
          const instruction = op.workInstructionDocumentId ? instructions.get(op.workInstructionDocumentId) : undefined;
          return (
            <Paper key={keys[i]} withBorder p="sm" radius="md" data-testid="routing-operation">
              <Stack gap="xs">
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  <NumberInput
                    label={t('masterdata.routing.sequence')}
                    min={1}
                    max={9999}
                    allowDecimal={false}
                    hideControls
                    w={90}
                    value={op.sequence}
                    error={err(i, 'sequence')}
                    onChange={(v) => change(i, { sequence: typeof v === 'number' ? v : 0 })}
                  />
                  <TextInput
                    label={t('masterdata.routing.name')}
                    style={{ flex: 1 }}
                    value={op.name}
                    error={err(i, 'name')}
                    onChange={(e) => change(i, { name: e.currentTarget.value })}
                  />
                  <Group gap={2} mt={26} wrap="nowrap">
                    <Tooltip label={t('masterdata.routing.moveUp')}>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('masterdata.routing.moveUp')}
                        disabled={i === 0}
                        onClick={() => move(i, -1)}
                      >
                        <IconArrowUp size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('masterdata.routing.moveDown')}>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('masterdata.routing.moveDown')}
                        disabled={i === rows.length - 1}
                        onClick={() => move(i, 1)}
                      >
                        <IconArrowDown size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('masterdata.routing.remove')}>
                      <ActionIcon variant="subtle" color="red" aria-label={t('masterdata.routing.remove')} onClick={() => remove(i)}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Group>
                <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
                  <Select
                    label={t('masterdata.routing.workCenter')}
                    searchable
                    data={centerOptions}
                    value={op.workCenterId || null}
                    error={err(i, 'workCenterId')}
                    onChange={(v) => change(i, { workCenterId: v ?? '' })}
                  />
                  <TextInput
                    label={t('masterdata.routing.setupMinutes')}
                    inputMode="decimal"
                    value={op.setupMinutes}
                    error={err(i, 'setupMinutes')}
                    onChange={(e) => change(i, { setupMinutes: e.currentTarget.value.trim() })}
                  />
                  <TextInput
                    label={t('masterdata.routing.runMinutes')}
                    inputMode="decimal"
                    value={op.runMinutesPerUnit}
                    error={err(i, 'runMinutesPerUnit')}
                    onChange={(e) => change(i, { runMinutesPerUnit: e.currentTarget.value.trim() })}
                  />
                </SimpleGrid>
                <TagsInput
                  label={t('masterdata.routing.inspectionPoints')}
                  description={t('masterdata.routing.inspectionHelp')}
                  value={op.inspectionPoints}
                  error={err(i, 'inspectionPoints')}
                  onChange={(v) => change(i, { inspectionPoints: v })}
                  maxTags={50}
                  splitChars={[]}
                />
                {instruction && op.workInstructionDocumentId ? (
                  <Stack gap={2}>
                    <Text size="sm" fw={500}>
                      {t('masterdata.routing.workInstruction')}
                    </Text>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm">{instructionText(instruction)}</Text>
                      <CloseButton
                        size="sm"
                        aria-label={t('masterdata.routing.removeInstruction')}
                        onClick={() => change(i, { workInstructionDocumentId: null })}
                      />
                    </Group>
                  </Stack>
                ) : (
                  <RecordSelect<DocumentRef>
                    label={t('masterdata.routing.workInstruction')}
                    placeholder={t('masterdata.routing.pickInstruction')}
                    path="/documents"
                    filters={{ kind: 'work_instruction' }}
                    option={(d) => `${d.number} rev ${d.revision} — ${d.title} (${t(`documents.statuses.${d.status}`)})`}
                    value={op.workInstructionDocumentId}
                    error={err(i, 'workInstructionDocumentId')}
                    onChange={(id, d) => {
                      if (d) setInstructions(new Map(instructions).set(d.id, d));
                      change(i, { workInstructionDocumentId: id });
                    }}
                  />
                )}
              </Stack>
            </Paper>
          );
        })}
        <Group justify="space-between">
          <Button variant="light" leftSection={<IconPlus size={16} />} onClick={add}>
            {t('masterdata.routing.addOperation')}
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('masterdata.routing.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
