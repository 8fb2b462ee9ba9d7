import { ActionIcon, NumberInput, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRequestSchema } from '../../api/schemas';
import { product } from '../../components/decimal';
import { FormProblem } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { formatDate, formatDecimal } from '../../components/format';
import { RecordSelect } from '../../components/RecordSelect';
import { UnitSelect } from './common';
import { nextNumber, useEditableLines } from './editableLines';
import { RowsTable } from './RowsTable';
import { ITEM, RecordLink } from './records';
import { EditorActions, StructurePart, useSaveStructure, useStructure } from './structure';
import type { BomLine, Item, ItemRevision, ItemSummary } from './types';

type LineInput = Pick<
  BomLine,
  'lineNo' | 'componentItemId' | 'quantityPer' | 'unit' | 'scrapFactor' | 'referenceDesignator' | 'effectiveFrom' | 'effectiveTo'
>;
interface Bom {
  lines: BomLine[];
}
interface Component {
  code: string;
  name: string;
  baseUnit: string;
}

/** The BOM of a revision: read, or in a draft replaced as a whole. */
export function BomSection({ revision, item, editable }: { revision: ItemRevision; item: Item; editable: boolean }) {
  const { t } = useTranslation();
  return (
    <StructurePart
      structure={useStructure<Bom>(revision, 'bom')}
      help={t('masterdata.bom.help', { unit: item.baseUnit })}
      editLabel={t('masterdata.bom.edit')}
      editable={editable}
      editor={(bom, done) => <BomEditor revision={revision} item={item} lines={bom.lines} onDone={done} />}
    >
      {(bom) => (
        <RowsTable
          rows={bom.lines}
          rowKey={(l) => l.id}
          columns={[
            { labelKey: 'masterdata.bom.lineNo', cell: (l) => l.lineNo },
            { labelKey: 'masterdata.bom.component', cell: (l) => <ComponentCell line={l} /> },
            { labelKey: 'masterdata.bom.quantityPer', cell: (l) => formatDecimal(l.quantityPer, l.unit) },
            { labelKey: 'masterdata.bom.scrap', cell: (l) => scrapText(l.scrapFactor) },
            { labelKey: 'masterdata.bom.designator', cell: (l) => l.referenceDesignator ?? '—' },
            { labelKey: 'masterdata.bom.effective', cell: (l) => <Effectivity from={l.effectiveFrom} to={l.effectiveTo} /> },
          ]}
          empty={t('masterdata.bom.empty')}
          minWidth={680}
          testId="bom"
        />
      )}
    </StructurePart>
  );
}

/** The component of a BOM or explosion line: its code, linking to the item, over its name. */
export function ComponentCell({ line }: { line: Pick<BomLine, 'componentItemId' | 'componentCode' | 'componentName'> }) {
  return <RecordLink kind={ITEM} id={line.componentItemId} code={line.componentCode} name={line.componentName} />;
}

/** A line's scrap factor as a percentage; none is a dash. */
export const scrapText = (scrapFactor: string) => (scrapFactor === '0' ? '—' : `${product(scrapFactor, '100') ?? scrapFactor} %`);

function Effectivity({ from, to }: { from: string | null; to: string | null }) {
  const { t } = useTranslation();
  if (!from && !to) return <>{t('masterdata.bom.always')}</>;
  if (from && to) return <>{t('masterdata.bom.fromTo', { from: formatDate(from), to: formatDate(to) })}</>;
  return <>{from ? t('masterdata.bom.from', { from: formatDate(from) }) : t('masterdata.bom.until', { to: formatDate(to) })}</>;
}

const NO_LINE: Omit<LineInput, 'lineNo'> = {
  componentItemId: '',
  quantityPer: '1',
  unit: '',
  scrapFactor: '0',
  referenceDesignator: null,
  effectiveFrom: null,
  effectiveTo: null,
};

function BomEditor({ revision, item, lines, onDone }: { revision: ItemRevision; item: Item; lines: BomLine[]; onDone: () => void }) {
  const { t } = useTranslation();
  const initial: LineInput[] = lines.map(({ id: _, componentCode: _c, componentName: _n, componentBaseUnit: _b, ...l }) => l);
  const form = useSchemaForm<{ lines: LineInput[] }>(useRequestSchema('PUT', '/item-revisions/:id/bom'), { lines: initial });
  const edit = useEditableLines(form, 'lines');
  const [components, setComponents] = useState(
    () =>
      new Map<string, Component>(
        lines.map((l) => [l.componentItemId, { code: l.componentCode, name: l.componentName, baseUnit: l.componentBaseUnit }]),
      ),
  );
  const save = useSaveStructure<{ lines: LineInput[] }, Bom>(revision, 'bom', form, {
    savedMessage: t('masterdata.bom.saved'),
    onDone,
    alsoStale: ['item-revision', revision.id, 'explosion'],
  });
  const { rows, change } = edit;
  const err = edit.error;
  const optional = (v: string) => (v.trim() === '' ? null : v.trim());

  return (
    <form noValidate onSubmit={form.submit((body) => save.mutate(body))}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('masterdata.bom.editHelp', { unit: item.baseUnit })}
        </Text>
        {/* The whole BOM is refused at once: say so above the lines that carry the reasons. */}
        <FormProblem error={save.error} placed={false} />
        <Table.ScrollContainer minWidth={960}>
          <Table withTableBorder verticalSpacing="xs" data-testid="bom-editor">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={44} />
                <Table.Th w={76}>{t('masterdata.bom.lineNo')}</Table.Th>
                <Table.Th miw={200}>{t('masterdata.bom.component')}</Table.Th>
                <Table.Th w={90}>{t('masterdata.bom.quantityPer')}</Table.Th>
                <Table.Th w={96}>{t('masterdata.bom.unit')}</Table.Th>
                <Table.Th w={80}>{t('masterdata.bom.scrapFactor')}</Table.Th>
                <Table.Th w={100}>{t('masterdata.bom.designator')}</Table.Th>
                <Table.Th w={140}>{t('masterdata.bom.effectiveFrom')}</Table.Th>
                <Table.Th w={140}>{t('masterdata.bom.effectiveTo')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((l, i) => {
                const component = components.get(l.componentItemId);
                return (
                  <Table.Tr key={edit.key(i)}>
                    <Table.Td>
                      <Tooltip label={t('masterdata.bom.removeLine')}>
                        <ActionIcon variant="subtle" color="red" aria-label={t('masterdata.bom.removeLine')} onClick={() => edit.remove(i)}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={t('masterdata.bom.lineNo')}
                        miw={56}
                        min={1}
                        max={9999}
                        allowDecimal={false}
                        hideControls
                        value={l.lineNo}
                        error={err(i, 'lineNo')}
                        onChange={(v) => change(i, { lineNo: typeof v === 'number' ? v : 0 })}
                      />
                    </Table.Td>
                    <Table.Td>
                      {component && lines.some((b) => b.componentItemId === l.componentItemId) ? (
                        <Stack gap={0}>
                          <Text size="sm" fw={500}>
                            {component.code}
                          </Text>
                          <Text size="xs" c="dimmed" lineClamp={1}>
                            {component.name}
                          </Text>
                          {err(i, 'componentItemId') && (
                            <Text size="xs" c="red">
                              {err(i, 'componentItemId')}
                            </Text>
                          )}
                        </Stack>
                      ) : (
                        <RecordSelect<ItemSummary>
                          aria-label={t('masterdata.bom.component')}
                          placeholder={t('masterdata.bom.pickComponent')}
                          path="/items"
                          filters={{ active: true }}
                          label=""
                          option={(c) => `${c.code} · ${c.name}`}
                          value={l.componentItemId || null}
                          error={err(i, 'componentItemId')}
                          onChange={(id, c) => {
                            if (c) setComponents(new Map(components).set(c.id, { code: c.code, name: c.name, baseUnit: c.baseUnit }));
                            change(i, { componentItemId: id ?? '', unit: c?.baseUnit ?? l.unit });
                          }}
                        />
                      )}
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={t('masterdata.bom.quantityPer')}
                        inputMode="decimal"
                        value={l.quantityPer}
                        error={err(i, 'quantityPer')}
                        onChange={(e) => change(i, { quantityPer: e.currentTarget.value.trim() })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <UnitSelect
                        aria-label={t('masterdata.bom.unit')}
                        value={l.unit || null}
                        error={err(i, 'unit')}
                        onChange={(v) => change(i, { unit: v ?? '' })}
                        allowDeselect={false}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={t('masterdata.bom.scrapFactor')}
                        inputMode="decimal"
                        value={l.scrapFactor}
                        error={err(i, 'scrapFactor')}
                        onChange={(e) => change(i, { scrapFactor: e.currentTarget.value.trim() })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={t('masterdata.bom.designator')}
                        value={l.referenceDesignator ?? ''}
                        error={err(i, 'referenceDesignator')}
                        onChange={(e) => change(i, { referenceDesignator: optional(e.currentTarget.value) })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        type="date"
                        aria-label={t('masterdata.bom.effectiveFrom')}
                        value={l.effectiveFrom ?? ''}
                        error={err(i, 'effectiveFrom')}
                        onChange={(e) => change(i, { effectiveFrom: optional(e.currentTarget.value) })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        type="date"
                        aria-label={t('masterdata.bom.effectiveTo')}
                        value={l.effectiveTo ?? ''}
                        error={err(i, 'effectiveTo')}
                        onChange={(e) => change(i, { effectiveTo: optional(e.currentTarget.value) })}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Text size="xs" c="dimmed">
          {t('masterdata.bom.scrapHelp')} {t('masterdata.bom.effectiveHelp')}
        </Text>
        <EditorActions
          addLabel={t('masterdata.bom.addLine')}
          onAdd={() => edit.add({ ...NO_LINE, lineNo: nextNumber(rows.map((l) => l.lineNo)) })}
          saveLabel={t('masterdata.bom.save')}
          saving={save.isPending}
          onCancel={onDone}
        />
      </Stack>
    </form>
  );
}
