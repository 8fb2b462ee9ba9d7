import { Alert, Badge, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/permissions';
import type { Column } from '../../components/DataTable';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import i18n from '../../i18n';
import { UNITS } from './common';
import { useCreateKey, useFormMutation } from './forms';
import { ListPage } from './ListPage';
import { CODE_IN_USE } from './problems';
import type { Unit } from './types';

const columns: Column<Unit>[] = [
  { key: 'code', labelKey: 'masterdata.units.code' },
  { key: 'name', labelKey: 'masterdata.units.name' },
  { key: 'dimension', labelKey: 'masterdata.units.dimension', text: (u) => i18n.t(`masterdata.units.dimensions.${u.dimension}`) },
  {
    key: 'packaging',
    labelKey: 'masterdata.units.kind',
    render: (u) => (
      <Badge variant="light" color={u.packaging ? 'grape' : 'blue'}>
        {u.packaging ? i18n.t('masterdata.units.pack') : i18n.t('masterdata.units.global')}
      </Badge>
    ),
    text: (u) => i18n.t(u.packaging ? 'masterdata.units.pack' : 'masterdata.units.global'),
  },
];

/**
 * Units of measure: the global ones (kg, g, mg, L, mL, m, cm, mm, ea) convert by their dimension;
 * a pack (box, carton) is registered here by name and sized per item, so a typo never becomes a unit.
 */
export function UnitsPage() {
  const { t } = useTranslation();
  return (
    <ListPage<Unit>
      title={t('nav.units')}
      help={t('masterdata.units.help')}
      create={{ label: t('masterdata.units.addPack'), permission: P.masterdataWrite, form: (close) => <NewUnitModal onClose={close} /> }}
      id="masterdata.units"
      path={UNITS}
      columns={columns}
      rowKey={(u) => u.code}
      searchable={false}
    />
  );
}

function NewUnitModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = useCreateKey();
  const form = useSchemaForm(useRequestSchema('POST', UNITS), { code: '', name: '' });
  const create = useFormMutation(form, {
    send: (body: typeof form.values) => api<Unit>('POST', UNITS, { body, idempotencyKey: key }),
    onSaved: (unit) => {
      void queryClient.invalidateQueries({ queryKey: ['list', UNITS] });
      notifySuccess(t('masterdata.units.added', { code: unit.code }));
      onClose();
    },
    fieldOf: CODE_IN_USE,
  });
  return (
    <FormModal
      title={t('masterdata.units.addPack')}
      onClose={onClose}
      onSubmit={form.submit((body) => create.mutate(body))}
      save={create}
      submitLabel={t('masterdata.units.addPack')}
      lead={
        <Alert color="blue" variant="light">
          {t('masterdata.units.packHelp')}
        </Alert>
      }
    >
      <TextInput
        label={t('masterdata.units.code')}
        description={t('masterdata.units.codeHelp')}
        required
        data-autofocus
        {...form.field('code')}
      />
      <TextInput label={t('masterdata.units.name')} required {...form.field('name')} />
    </FormModal>
  );
}
