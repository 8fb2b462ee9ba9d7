import { ActionIcon, Button, Group, NumberInput, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import { UnitSelect, ValueSelect } from './common';
import { useEditableLines } from './editableLines';
import { ActiveSwitch, CodeInput, type FieldForm, useFormMutation } from './forms';
import { CODE_IN_USE } from './problems';
import { ITEM, RecordFormModal, useRecordForm } from './records';
import { type Conversion, ITEM_TYPES, type Item, TRACKING_MODES } from './types';

/** The forms of an item: a new one, a change of what may change, and its unit conversions. */

/** A GTIN in use by another item is told on the GTIN field. */
const GTIN_IN_USE = { 'error.masterdata.item.gtinInUse': 'gtin' } as const;

interface ShelfLifeForm {
  values: { shelfLifeDays: number | '' };
  errors: Record<string, string | undefined>;
  set: (name: 'shelfLifeDays', value: number | '') => void;
}

function ShelfLifeInput({ form, description }: { form: ShelfLifeForm; description?: string }) {
  const { t } = useTranslation();
  return (
    <NumberInput
      label={t('masterdata.items.shelfLifeDays')}
      description={description}
      min={1}
      allowDecimal={false}
      value={form.values.shelfLifeDays}
      error={form.errors.shelfLifeDays}
      onChange={(v) => form.set('shelfLifeDays', typeof v === 'number' ? v : '')}
    />
  );
}

function GtinInput({ form }: { form: FieldForm }) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('masterdata.items.gtin')}
      description={t('masterdata.items.gtinHelp')}
      inputMode="numeric"
      maxLength={14}
      {...form.field('gtin')}
    />
  );
}

/** A new item with its first revision (A, draft): what it is, how it is counted, traced and labelled. */
export function NewItemModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { form, ...editor } = useRecordForm(
    ITEM,
    undefined,
    {
      code: '',
      name: '',
      type: 'component',
      baseUnit: 'ea',
      tracking: 'lot',
      shelfLifeDays: '' as number | '',
      gtin: '',
      active: true,
      conversions: [] as Conversion[],
    },
    { onClose, fieldOf: { ...GTIN_IN_USE, ...CODE_IN_USE, 'error.masterdata.unit.unknown': 'baseUnit' } },
  );
  const conversions = useEditableLines(form, 'conversions');
  // An empty unit is left out, so the schema says it is required rather than malformed.
  const setConversion = (i: number, change: Partial<Conversion>) => {
    const { unit, ...rest } = { ...conversions.rows[i]!, ...change };
    conversions.put(i, (unit ? { unit, ...rest } : rest) as Conversion);
  };
  return (
    <RecordFormModal kind={ITEM} record={undefined} editor={editor} onClose={onClose} size="lg">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <CodeInput form={form} label={t('masterdata.items.code')} />
        <ValueSelect
          label={t('masterdata.items.type')}
          values={ITEM_TYPES}
          prefix="masterdata.itemTypes"
          allowDeselect={false}
          required
          {...form.field('type')}
        />
      </SimpleGrid>
      <TextInput label={t('masterdata.items.name')} required {...form.field('name')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <UnitSelect
          label={t('masterdata.items.baseUnit')}
          description={t('masterdata.items.baseUnitHelp')}
          allowDeselect={false}
          required
          {...form.field('baseUnit')}
        />
        <ShelfLifeInput form={form} description={t('masterdata.items.shelfLifeHelp')} />
      </SimpleGrid>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('masterdata.items.tracking')}
        </Text>
        <SegmentedControl
          aria-label={t('masterdata.items.tracking')}
          data={TRACKING_MODES.map((m) => ({ value: m, label: t(`masterdata.tracking.${m}`) }))}
          value={form.values.tracking}
          onChange={(v) => form.set('tracking', v)}
        />
        <Text size="xs" c="dimmed">
          {t('masterdata.items.trackingHelp')}
        </Text>
      </Stack>
      <GtinInput form={form} />
      <ActiveSwitch form={form} />
      <Stack gap="xs">
        <Group justify="space-between">
          <Text size="sm" fw={500}>
            {t('masterdata.items.conversions')}
          </Text>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => conversions.add({ factor: '' } as Conversion)}
          >
            {t('masterdata.items.addConversion')}
          </Button>
        </Group>
        {conversions.rows.length === 0 && (
          <Text size="xs" c="dimmed">
            {t('masterdata.items.conversionsHelp')}
          </Text>
        )}
        {conversions.rows.map((c, i) => (
          <Group key={conversions.key(i)} align="flex-start" gap="xs" wrap="nowrap">
            <Text size="sm" mt={8}>
              1
            </Text>
            <UnitSelect
              aria-label={t('masterdata.items.conversionUnit')}
              exclude={form.values.baseUnit}
              value={c.unit || null}
              error={conversions.error(i, 'unit')}
              onChange={(v) => setConversion(i, { unit: v ?? '' })}
              w={160}
            />
            <Text size="sm" mt={8}>
              =
            </Text>
            <TextInput
              aria-label={t('masterdata.items.factor')}
              inputMode="decimal"
              value={c.factor}
              error={conversions.error(i, 'factor')}
              onChange={(e) => setConversion(i, { factor: e.currentTarget.value.trim() })}
              w={120}
            />
            <Text size="sm" mt={8}>
              {form.values.baseUnit}
            </Text>
            <Tooltip label={t('common.delete')}>
              <ActionIcon variant="subtle" color="red" mt={4} aria-label={t('common.delete')} onClick={() => conversions.remove(i)}>
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        ))}
      </Stack>
    </RecordFormModal>
  );
}

/** Name, type, shelf life, GTIN and status change; code, base unit and tracking are fixed at creation. */
export function EditItemModal({ item, onClose }: { item: Item; onClose: () => void }) {
  const { t } = useTranslation();
  const { form, ...editor } = useRecordForm(
    ITEM,
    item,
    {
      name: item.name,
      type: item.type,
      shelfLifeDays: item.shelfLifeDays ?? ('' as number | ''),
      gtin: item.gtin ?? '',
      active: item.active,
    },
    { onClose, nullable: ['shelfLifeDays', 'gtin'], fieldOf: GTIN_IN_USE },
  );
  return (
    <RecordFormModal kind={ITEM} record={item} editor={editor} onClose={onClose} size="lg">
      <TextInput label={t('masterdata.items.name')} required data-autofocus {...form.field('name')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <ValueSelect
          label={t('masterdata.items.type')}
          values={ITEM_TYPES}
          prefix="masterdata.itemTypes"
          allowDeselect={false}
          {...form.field('type')}
        />
        <ShelfLifeInput form={form} />
      </SimpleGrid>
      <GtinInput form={form} />
      <ActiveSwitch form={form} />
      <Text size="xs" c="dimmed">
        {t('masterdata.items.fixedFields')}
      </Text>
    </RecordFormModal>
  );
}

/** How many base units one other unit is (1 carton = 50 ea); the audit trail keeps the old factor. */
export function ConversionModal({ item, unit, onClose }: { item: Item; unit: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const existing = item.conversions.find((c) => c.unit === unit);
  const [chosen, setChosen] = useState<string | null>(unit);
  const form = useSchemaForm(useRequestSchema('PUT', '/items/:id/conversions/:unit'), { factor: existing?.factor ?? '' });
  const save = useFormMutation(form, {
    send: (body: { factor: string }) =>
      api<Item>('PUT', `/items/${item.id}/conversions/${encodeURIComponent(chosen ?? '')}`, { body, version: item.version }),
    onSaved: (saved) => {
      queryClient.setQueryData([ITEM.queryKey, item.id], saved);
      notifySuccess(t('common.saved'));
      onClose();
    },
  });
  return (
    <FormModal
      title={t('masterdata.items.conversionTitle', { code: item.code })}
      onClose={onClose}
      onSubmit={form.submit((body) => chosen && save.mutate(body))}
      save={save}
      submitLabel={t('common.save')}
      submitDisabled={!chosen}
    >
      <UnitSelect
        label={t('masterdata.items.conversionUnit')}
        exclude={item.baseUnit}
        required
        disabled={unit !== null}
        value={chosen}
        onChange={setChosen}
      />
      <TextInput
        label={t('masterdata.items.factorLabel', { unit: chosen ?? '…', base: item.baseUnit })}
        inputMode="decimal"
        required
        data-autofocus
        {...form.field('factor')}
      />
    </FormModal>
  );
}
