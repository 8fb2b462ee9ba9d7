import {
  ActionIcon,
  Button,
  Checkbox,
  CloseButton,
  Group,
  List,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { AnchorLink } from '../../components/AnchorLink';
import { FormProblem } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { formatDecimal } from '../../components/format';
import { RecordSelect } from '../../components/RecordSelect';
import { nextNumber, useEditableLines } from './editableLines';
import { RowsTable } from './RowsTable';
import { RecordLink, WORK_CENTER } from './records';
import { EditorActions, StructurePart, useSaveStructure, useStructure } from './structure';
import type { DocumentRef, Item, ItemRevision, RoutingOperation, WorkCenter } from './types';

type OperationInput = Pick<
  RoutingOperation,
  | 'sequence'
  | 'name'
  | 'workCenterId'
  | 'setupMinutes'
  | 'runMinutesPerUnit'
  | 'inspectionPoints'
  | 'workInstructionDocumentId'
  | 'firstArticleRequired'
  | 'lineClearanceRequired'
  | 'parallelWithPrevious'
  | 'parameters'
>;
type Parameter = RoutingOperation['parameters'][number];
interface Routing {
  operations: RoutingOperation[];
}
type InstructionLabel = NonNullable<RoutingOperation['workInstruction']>;

const instructionText = (w: InstructionLabel) => `${w.number} rev ${w.revision} — ${w.title}`;

const limitsText = (p: Parameter) =>
  p.lowerLimit !== null && p.upperLimit !== null
    ? `${formatDecimal(p.lowerLimit)} – ${formatDecimal(p.upperLimit)} ${p.unit}`
    : p.lowerLimit !== null
      ? `≥ ${formatDecimal(p.lowerLimit)} ${p.unit}`
      : `≤ ${formatDecimal(p.upperLimit)} ${p.unit}`;

/** The routing of a revision: ordered operations with work center, standard times, checks and work instruction. */
export function RoutingSection({ revision, item, editable }: { revision: ItemRevision; item: Item; editable: boolean }) {
  const { t } = useTranslation();
  return (
    <StructurePart
      structure={useStructure<Routing>(revision, 'routing')}
      help={t('masterdata.routing.help', { unit: item.baseUnit })}
      editLabel={t('masterdata.routing.edit')}
      editable={editable}
      editor={(routing, done) => <RoutingEditor revision={revision} operations={routing.operations} onDone={done} />}
    >
      {(routing) => (
        <RowsTable
          rows={routing.operations}
          rowKey={(op) => op.id}
          columns={[
            { labelKey: 'masterdata.routing.sequence', cell: (op) => op.sequence },
            { labelKey: 'masterdata.routing.name', cell: (op) => op.name },
            {
              labelKey: 'masterdata.routing.workCenter',
              cell: (op) => <RecordLink kind={WORK_CENTER} id={op.workCenterId} code={op.workCenterCode} name={op.workCenterName} />,
            },
            {
              labelKey: 'masterdata.routing.setup',
              cell: (op) => t('masterdata.routing.minutes', { value: formatDecimal(op.setupMinutes) }),
            },
            {
              labelKey: 'masterdata.routing.run',
              cell: (op) => t('masterdata.routing.minutes', { value: formatDecimal(op.runMinutesPerUnit) }),
            },
            {
              labelKey: 'masterdata.routing.inspectionPoints',
              cell: (op) =>
                op.inspectionPoints.length === 0 ? (
                  '—'
                ) : (
                  <List size="sm" spacing={2}>
                    {op.inspectionPoints.map((p) => (
                      <List.Item key={p}>{p}</List.Item>
                    ))}
                  </List>
                ),
            },
            {
              labelKey: 'masterdata.routing.parameters',
              cell: (op) =>
                op.parameters.length === 0 && !op.firstArticleRequired && !op.lineClearanceRequired && !op.parallelWithPrevious ? (
                  '—'
                ) : (
                  <List size="sm" spacing={2}>
                    {op.parameters.map((p) => (
                      <List.Item key={p.name}>{`${p.name}: ${limitsText(p)}`}</List.Item>
                    ))}
                    {op.firstArticleRequired ? <List.Item>{t('masterdata.routing.firstArticleRequired')}</List.Item> : null}
                    {op.lineClearanceRequired ? <List.Item>{t('masterdata.routing.lineClearanceRequired')}</List.Item> : null}
                    {op.parallelWithPrevious ? <List.Item>{t('masterdata.routing.parallelWithPrevious')}</List.Item> : null}
                  </List>
                ),
            },
            {
              labelKey: 'masterdata.routing.workInstruction',
              cell: (op) =>
                op.workInstruction && op.workInstructionDocumentId ? (
                  <AnchorLink to="/documents/$documentId" params={{ documentId: op.workInstructionDocumentId }}>
                    {instructionText(op.workInstruction)}
                  </AnchorLink>
                ) : (
                  '—'
                ),
            },
          ]}
          empty={t('masterdata.routing.empty')}
          minWidth={700}
          testId="routing"
        />
      )}
    </StructurePart>
  );
}

const NO_OPERATION: Omit<OperationInput, 'sequence'> = {
  name: '',
  workCenterId: '',
  setupMinutes: '0',
  runMinutesPerUnit: '0',
  inspectionPoints: [],
  workInstructionDocumentId: null,
  firstArticleRequired: false,
  lineClearanceRequired: false,
  parallelWithPrevious: false,
  parameters: [],
};

const NO_PARAMETER: Parameter = { name: '', unit: '', lowerLimit: null, upperLimit: null };

function RoutingEditor({ revision, operations, onDone }: { revision: ItemRevision; operations: RoutingOperation[]; onDone: () => void }) {
  const { t } = useTranslation();
  const initial: OperationInput[] = operations.map((op) => ({
    sequence: op.sequence,
    name: op.name,
    workCenterId: op.workCenterId,
    setupMinutes: op.setupMinutes,
    runMinutesPerUnit: op.runMinutesPerUnit,
    inspectionPoints: op.inspectionPoints,
    workInstructionDocumentId: op.workInstructionDocumentId,
    firstArticleRequired: op.firstArticleRequired,
    lineClearanceRequired: op.lineClearanceRequired,
    parallelWithPrevious: op.parallelWithPrevious,
    parameters: op.parameters,
  }));
  const form = useSchemaForm<{ operations: OperationInput[] }>(useRequestSchema('PUT', '/item-revisions/:id/routing'), {
    operations: initial,
  });
  const edit = useEditableLines(form, 'operations');
  const [instructions, setInstructions] = useState(
    () =>
      new Map<string, InstructionLabel>(
        operations.flatMap((op) =>
          op.workInstruction && op.workInstructionDocumentId ? [[op.workInstructionDocumentId, op.workInstruction]] : [],
        ),
      ),
  );
  const workCenters = useQuery({
    queryKey: ['list', WORK_CENTER.path, { active: true }, 'all'],
    queryFn: () => get<Page<WorkCenter>>(WORK_CENTER.path, { active: true, limit: 200 }),
  });
  // An operation may still name a work center that has since been deactivated: keep it choosable.
  const centerOptions = [
    ...(workCenters.data?.items ?? []).map((w) => ({ value: w.id, label: `${w.code} · ${w.name}` })),
    ...operations
      .filter((op) => !workCenters.data?.items.some((w) => w.id === op.workCenterId))
      .map((op) => ({ value: op.workCenterId, label: `${op.workCenterCode} · ${op.workCenterName}` })),
  ].filter((o, i, all) => all.findIndex((x) => x.value === o.value) === i);

  const save = useSaveStructure<{ operations: OperationInput[] }, Routing>(revision, 'routing', form, {
    savedMessage: t('masterdata.routing.saved'),
    onDone,
  });
  const { rows, change } = edit;
  const err = edit.error;
  const move = (i: number, by: -1 | 1) => edit.move(i, by, 'sequence');

  return (
    <form noValidate onSubmit={form.submit((body) => save.mutate(body))}>
      <Stack gap="sm">
        <FormProblem error={save.error} placed={false} />
        {rows.length === 0 && <Text c="dimmed">{t('masterdata.routing.empty')}</Text>}
        {rows.map((op, i) => {
          const instruction = op.workInstructionDocumentId ? instructions.get(op.workInstructionDocumentId) : undefined;
          return (
            <Paper key={edit.key(i)} withBorder p="sm" radius="md" data-testid="routing-operation">
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
                      <ActionIcon variant="subtle" color="red" aria-label={t('masterdata.routing.remove')} onClick={() => edit.remove(i)}>
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
                <Group gap="lg">
                  {(['firstArticleRequired', 'lineClearanceRequired', 'parallelWithPrevious'] as const).map((flag) => (
                    <Checkbox
                      key={flag}
                      label={t(`masterdata.routing.${flag}`)}
                      checked={op[flag]}
                      error={err(i, flag)}
                      onChange={(e) => change(i, { [flag]: e.currentTarget.checked })}
                    />
                  ))}
                </Group>
                <Stack gap={4}>
                  <Text size="sm" fw={500}>
                    {t('masterdata.routing.parameters')}
                  </Text>
                  {op.parameters.map((p, j) => {
                    const setParameter = (changes: Partial<Parameter>) =>
                      change(i, { parameters: op.parameters.map((x, k) => (k === j ? { ...x, ...changes } : x)) });
                    const limit = (value: string) => (value.trim() === '' ? null : value.trim());
                    return (
                      // biome-ignore lint/suspicious/noArrayIndexKey: parameters have no id until saved; their position is their identity
                      <Group key={j} gap="xs" wrap="nowrap" align="flex-start">
                        <TextInput
                          aria-label={t('masterdata.routing.parameterName')}
                          placeholder={t('masterdata.routing.parameterName')}
                          style={{ flex: 2 }}
                          value={p.name}
                          error={err(i, `parameters.${j}.name`) ?? err(i, `parameters.${j}`)}
                          onChange={(e) => setParameter({ name: e.currentTarget.value })}
                        />
                        <TextInput
                          aria-label={t('masterdata.routing.parameterUnit')}
                          placeholder={t('masterdata.routing.parameterUnit')}
                          w={90}
                          value={p.unit}
                          error={err(i, `parameters.${j}.unit`)}
                          onChange={(e) => setParameter({ unit: e.currentTarget.value })}
                        />
                        <TextInput
                          aria-label={t('masterdata.routing.lowerLimit')}
                          placeholder={t('masterdata.routing.lowerLimit')}
                          inputMode="decimal"
                          w={110}
                          value={p.lowerLimit ?? ''}
                          error={err(i, `parameters.${j}.lowerLimit`)}
                          onChange={(e) => setParameter({ lowerLimit: limit(e.currentTarget.value) })}
                        />
                        <TextInput
                          aria-label={t('masterdata.routing.upperLimit')}
                          placeholder={t('masterdata.routing.upperLimit')}
                          inputMode="decimal"
                          w={110}
                          value={p.upperLimit ?? ''}
                          error={err(i, `parameters.${j}.upperLimit`)}
                          onChange={(e) => setParameter({ upperLimit: limit(e.currentTarget.value) })}
                        />
                        <ActionIcon
                          mt={6}
                          variant="subtle"
                          color="red"
                          aria-label={t('masterdata.routing.removeParameter')}
                          onClick={() => change(i, { parameters: op.parameters.filter((_, k) => k !== j) })}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Group>
                    );
                  })}
                  <Group>
                    <Button
                      size="xs"
                      variant="subtle"
                      leftSection={<IconPlus size={14} />}
                      onClick={() => change(i, { parameters: [...op.parameters, NO_PARAMETER] })}
                    >
                      {t('masterdata.routing.addParameter')}
                    </Button>
                  </Group>
                </Stack>
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
        <EditorActions
          addLabel={t('masterdata.routing.addOperation')}
          onAdd={() => edit.add({ ...NO_OPERATION, sequence: nextNumber(rows.map((op) => op.sequence)) })}
          saveLabel={t('masterdata.routing.save')}
          saving={save.isPending}
          onCancel={onDone}
        />
      </Stack>
    </form>
  );
}
