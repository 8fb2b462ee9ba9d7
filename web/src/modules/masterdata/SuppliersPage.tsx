import { Button, Group, Modal, SimpleGrid, Stack, Switch, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/nav';
import { can } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import i18n from '../../i18n';
import { ActiveBadge, ActiveSelect, activeFilter, changedFields, FormProblem, useCreateKey, useMe } from './common';
import { ADDRESS_NULLABLE, AddressFields, CONTACT_NULLABLE, ContactFields } from './PartyFields';
import { placeProblem } from './problems';
import type { Supplier } from './types';

const columns: Column<Supplier>[] = [
  {
    key: 'code',
    labelKey: 'masterdata.suppliers.code',
    render: (s) => (
      <AnchorLink to="/suppliers/$supplierId" params={{ supplierId: s.id }} style={{ whiteSpace: 'nowrap' }}>
        {s.code}
      </AnchorLink>
    ),
  },
  { key: 'name', labelKey: 'masterdata.suppliers.name' },
  { key: 'city', labelKey: 'masterdata.address.city' },
  { key: 'country', labelKey: 'masterdata.address.country' },
  { key: 'contactName', labelKey: 'masterdata.contact.name' },
  { key: 'email', labelKey: 'masterdata.contact.email', optional: true },
  { key: 'phone', labelKey: 'masterdata.contact.phone', optional: true },
  {
    key: 'active',
    labelKey: 'masterdata.status',
    render: (s) => <ActiveBadge active={s.active} />,
    text: (s) => i18n.t(s.active ? 'masterdata.active' : 'masterdata.inactive'),
  },
];

/** Suppliers; each one's approved supplier list is on its page. */
export function SuppliersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [active, setActive] = useState<string | null>('true');
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.suppliers')}
      </Title>
      <DataTable<Supplier>
        id="masterdata.suppliers"
        path="/suppliers"
        columns={columns}
        rowKey={(s) => s.id}
        filters={{ active: activeFilter(active) }}
        filterControls={<ActiveSelect value={active} onChange={setActive} />}
        actions={
          can(me, P.masterdataWrite) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('masterdata.suppliers.create')}
            </Button>
          )
        }
      />
      {creating && <SupplierModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

interface SupplierValues extends Record<string, unknown> {
  code: string;
  name: string;
  contactName: string;
  email: string;
  phone: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  postalCode: string;
  region: string;
  country: string;
  active: boolean;
}

const blank = (v: string | null) => v ?? '';

/** Creates a supplier, or changes one (`supplier` given, with If-Match). */
export function SupplierModal({ supplier, onClose }: { supplier?: Supplier; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const key = useCreateKey();
  const form = useSchemaForm<SupplierValues>(useRequestSchema(supplier ? 'PATCH' : 'POST', supplier ? '/suppliers/:id' : '/suppliers'), {
    code: supplier?.code ?? '',
    name: supplier?.name ?? '',
    contactName: blank(supplier?.contactName ?? null),
    email: blank(supplier?.email ?? null),
    phone: blank(supplier?.phone ?? null),
    addressLine1: supplier?.addressLine1 ?? '',
    addressLine2: blank(supplier?.addressLine2 ?? null),
    city: supplier?.city ?? '',
    postalCode: blank(supplier?.postalCode ?? null),
    region: blank(supplier?.region ?? null),
    country: supplier?.country ?? 'CN',
    active: supplier?.active ?? true,
  });
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (body: Partial<SupplierValues>) =>
      supplier
        ? api<Supplier>('PATCH', `/suppliers/${supplier.id}`, { body, version: supplier.version })
        : api<Supplier>('POST', '/suppliers', { body, idempotencyKey: key }),
    meta: { handlesErrors: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(['supplier', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['list', '/suppliers'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'suppliers', saved.id] });
      notifySuccess(t('common.saved'));
      onClose();
      if (!supplier) void navigate({ to: '/suppliers/$supplierId', params: { supplierId: saved.id } });
    },
    onError: (err) => setPlaced(placeProblem(form, err, { 'error.duplicate': 'code' })),
  });
  const submit = form.submit((body) => {
    if (!supplier) return save.mutate(body);
    const changes = changedFields(supplier, body, [...CONTACT_NULLABLE, ...ADDRESS_NULLABLE]);
    if (Object.keys(changes).length === 0) onClose();
    else save.mutate(changes);
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={supplier ? t('masterdata.suppliers.edit', { code: supplier.code }) : t('masterdata.suppliers.create')}
      centered
      size="xl"
    >
      <form noValidate onSubmit={submit}>
        <Stack>
          <FormProblem error={save.error} placed={placed} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('masterdata.suppliers.code')}
              description={t('masterdata.codeHelp')}
              required
              data-autofocus
              {...form.field('code')}
              onChange={(e) => form.set('code', e.currentTarget.value.toUpperCase())}
            />
            <TextInput label={t('masterdata.suppliers.name')} required {...form.field('name')} />
          </SimpleGrid>
          <ContactFields form={form} />
          <AddressFields form={form} />
          <Switch
            label={t('masterdata.active')}
            checked={form.values.active}
            onChange={(e) => form.set('active', e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {supplier ? t('common.save') : t('masterdata.suppliers.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
