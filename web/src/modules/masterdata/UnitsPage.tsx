import { Alert, Badge, Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/nav';
import { can } from '../../auth/session';
import { type Column, DataTable } from '../../components/DataTable';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import i18n from '../../i18n';
import { FormProblem, useCreateKey, useMe } from './common';
import { placeProblem } from './problems';
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
  const me = useMe();
  const [adding, setAdding] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.units')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('masterdata.units.help')}
      </Text>
      <DataTable<Unit>
        id="masterdata.units"
        path="/units"
        columns={columns}
        rowKey={(u) => u.code}
        searchable={false}
        actions={
          can(me, P.masterdataWrite) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
              {t('masterdata.units.addPack')}
            </Button>
          )
        }
      />
      {adding && <NewUnitModal onClose={() => setAdding(false)} />}
    </Stack>
  );
}

function NewUnitModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = useCreateKey();
  const form = useSchemaForm(useRequestSchema('POST', '/units'), { code: '', name: '' });
  const [placed, setPlaced] = useState(false);
  const create = useMutation({
    mutationFn: (body: { code: string; name: string }) => api<Unit>('POST', '/units', { body, idempotencyKey: key }),
    meta: { handlesErrors: true },
    onSuccess: (unit) => {
      void queryClient.invalidateQueries({ queryKey: ['list', '/units'] });
      notifySuccess(t('masterdata.units.added', { code: unit.code }));
      onClose();
    },
    onError: (err) => setPlaced(placeProblem(form, err, { 'error.duplicate': 'code' })),
  });
  return (
    <Modal opened onClose={onClose} title={t('masterdata.units.addPack')} centered>
      <form noValidate onSubmit={form.submit((body) => create.mutate(body))}>
        <Stack>
          <Alert color="blue" variant="light">
            {t('masterdata.units.packHelp')}
          </Alert>
          <FormProblem error={create.error} placed={placed} />
          <TextInput
            label={t('masterdata.units.code')}
            description={t('masterdata.units.codeHelp')}
            required
            data-autofocus
            {...form.field('code')}
          />
          <TextInput label={t('masterdata.units.name')} required {...form.field('name')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('masterdata.units.addPack')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
