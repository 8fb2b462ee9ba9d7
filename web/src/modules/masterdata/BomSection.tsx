import { ActionIcon, Alert, Button, Group, Loader, NumberInput, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { AnchorLink } from '../../components/AnchorLink';
import { useSchemaForm } from '../../components/form';
import { formatDate, formatDecimal } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { RecordSelect } from '../../components/RecordSelect';
import { problemMessage } from '../../i18n';
import { FormProblem, fractionAsPercent, UnitSelect } from './common';
import { placeProblem } from './problems';
import type { BomLine, Item, ItemRevision, ItemSummary } from './types';

type LineInput = Pick<
  BomLine,
  'lineNo' | 'componentItemId' | 'quantityPer' | 'unit' | 'scrapFactor' | 'referenceDesignator' | 'effectiveFrom' | 'effectiveTo'
>;
interface Component {
  code: string;
  name: string;
  baseUnit: string;
}

/** The BOM of a revision: read, or in a draft replaced as a whole (If-Match: the revision's version). */
export function BomSection({ revision, item, editable }: { revision: ItemRevision; item: Item; editable: boolean }) {
  const { t } = useTranslation();
  const bom = useQuery({
    queryKey: ['item-revision', revision.id, 'bom'],
    queryFn: () => get<{ lines: BomLine[] }>(`/item-revisions/${revision.id}/bom`),
  });
  const [editing, setEditing] = useState(false);
  if (bom.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (bom.isError) return <Alert color="red">{problemMessage(bom.error)}</Alert>;
  const lines = bom.data.lines;
  if (editing) return <BomEditor revision={revision} item={item} lines={lines} onDone={() => setEditing(false)} />;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('masterdata.bom.help', { unit: item.baseUnit })}
        </Text>
        {editable && (
          <Button size="xs" variant="light" leftSection={<IconPencil size={14} />} onClick={() => setEditing(true)}>
            {t('masterdata.bom.edit')}
          </Button>
        )}
      </Group>
      {lines.length === 0 ? (
        <Text c="dimmed">{t('masterdata.bom.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={680}>
          <Table withTableBorder striped data-testid="bom">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('masterdata.bom.lineNo')}</Table.Th>
                <Table.Th>{t('masterdata.bom.component')}</Table.Th>
                <Table.Th>{t('masterdata.bom.quantityPer')}</Table.Th>
                <Table.Th>{t('masterdata.bom.scrap')}</Table.Th>
                <Table.Th>{t('masterdata.bom.designator')}</Table.Th>
                <Table.Th>{t('masterdata.bom.effective')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>{l.lineNo}</Table.Td>
                  <Table.Td>
                    <AnchorLink to="/items/$itemId" params={{ itemId: l.componentItemId }}>
                      {l.componentCode}
                    </AnchorLink>
                    <Text size="xs" c="dimmed">
                      {l.componentName}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDecimal(l.quantityPer, l.unit)}</Table.Td>
                  <Table.Td>{l.scrapFactor === '0' ? '—' : `${fractionAsPercent(l.scrapFactor)} %`}</Table.Td>
                  <Table.Td>{l.referenceDesignator ?? '—'}</Table.Td>
                  <Table.Td>
                    <Effectivity from={l.effectiveFrom} to={l.effectiveTo} />
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

export function Effectivity({ from, to }: { from: string | null; to: string | null }) {
  const { t } = useTranslation();
  if (!from && !to) return <>{t('masterdata.bom.always')}</>;
  if (from && to) return <>{t('masterdata.bom.fromTo', { from: formatDate(from), to: formatDate(to) })}</>;
  return <>{from ? t('masterdata.bom.from', { from: formatDate(from) }) : t('masterdata.bom.until', { to: formatDate(to) })}</>;
}

let rowKeys = 0;
const nextRowKey = () => `row-${++rowKeys}`;

function BomEditor({ revision, item, lines, onDone }: { revision: ItemRevision; item: Item; lines: BomLine[]; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const initial: LineInput[] = lines.map(({ id: _, componentCode: _c, componentName: _n, componentBaseUnit: _b, ...l }) => l);
  const form = useSchemaForm<{ lines: LineInput[] }>(useRequestSchema('PUT', '/item-revisions/:id/bom'), { lines: initial });
  const [keys, setKeys] = useState(() => lines.map(nextRowKey));
  const [components, setComponents] = useState(
    () =>
      new Map<string, Component>(
        lines.map((l) => [l.componentItemId, { code: l.componentCode, name: l.componentName, baseUnit: l.componentBaseUnit }]),
      ),
  );
  const rows = form.values.lines;
  const change = (i: number, patch: Partial<LineInput>) =>
    form.set(
      'lines',
      rows.map((l, j) => (j === i ? { ...l, ...patch } : l)),
    );
  const add = () => {
    const lineNo = Math.floor(Math.max(0, ...rows.map((l) => l.lineNo || 0)) / 10) * 10 + 10;
    form.set('lines', [
      ...rows,
      {
        lineNo,
        componentItemId: '',
        quantityPer: '1',
        unit: '',
        scrapFactor: '0',
        referenceDesignator: null,
        effectiveFrom: null,
        effectiveTo: null,
      },
    ]);
    setKeys([...keys, nextRowKey()]);
  };
  const remove = (i: number) => {
    form.set(
      'lines',
      rows.filter((_, j) => j !== i),
    );
    setKeys(keys.filter((_, j) => j !== i));
  };
  const save = useMutation({
    mutationFn: (body: { lines: LineInput[] }) =>
      api<{ lines: BomLine[] }>('PUT', `/item-revisions/${revision.id}/bom`, { body, version: revision.version }),
    meta: { handlesErrors: true },
    onSuccess: async (saved) => {
      queryClient.setQueryData(['item-revision', revision.id, 'bom'], saved);
      // The revision's version (its ETag) counted the change: read it before the next edit.
      await queryClient.invalidateQueries({ queryKey: ['item-revision', revision.id], exact: true });
      void queryClient.invalidateQueries({ queryKey: ['item-revision', revision.id, 'explosion'] });
      notifySuccess(t('masterdata.bom.saved'));
      onDone();
    },
    onError: (err) => placeProblem(form, err),
  });
  const err = (i: number, field: string) => form.errors[`lines.${i}.${field}`];
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
                  <Table.Tr key={keys[i]}>
                    <Table.Td>
                      <Tooltip label={t('masterdata.bom.removeLine')}>
                        <ActionIcon variant="subtle" color="red" aria-label={t('masterdata.bom.removeLine')} onClick={() => remove(i)}>
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
        <Group justify="space-between">
          <Button variant="light" leftSection={<IconPlus size={16} />} onClick={add}>
            {t('masterdata.bom.addLine')}
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('masterdata.bom.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
