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
import { CONTACT_NULLABLE, ContactFields } from './PartyFields';
import { placeProblem } from './problems';
import type { Customer } from './types';

const columns: Column<Customer>[] = [
  {
    key: 'code',
    labelKey: 'masterdata.customers.code',
    render: (c) => (
      <AnchorLink to="/customers/$customerId" params={{ customerId: c.id }} style={{ whiteSpace: 'nowrap' }}>
        {c.code}
      </AnchorLink>
    ),
  },
  { key: 'name', labelKey: 'masterdata.customers.name' },
  { key: 'contactName', labelKey: 'masterdata.contact.name' },
  { key: 'email', labelKey: 'masterdata.contact.email', optional: true },
  { key: 'shipTos', labelKey: 'masterdata.customers.shipTos', text: (c) => String(c.shipTos.filter((s) => s.active).length) },
  {
    key: 'active',
    labelKey: 'masterdata.status',
    render: (c) => <ActiveBadge active={c.active} />,
    text: (c) => i18n.t(c.active ? 'masterdata.active' : 'masterdata.inactive'),
  },
];

/** Customers (hospitals, distributors) with their ship-to addresses. */
export function CustomersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [active, setActive] = useState<string | null>('true');
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.customers')}
      </Title>
      <DataTable<Customer>
        id="masterdata.customers"
        path="/customers"
        columns={columns}
        rowKey={(c) => c.id}
        filters={{ active: activeFilter(active) }}
        filterControls={<ActiveSelect value={active} onChange={setActive} />}
        actions={
          can(me, P.masterdataWrite) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('masterdata.customers.create')}
            </Button>
          )
        }
      />
      {creating && <CustomerModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

interface CustomerValues extends Record<string, unknown> {
  code: string;
  name: string;
  contactName: string;
  email: string;
  phone: string;
  active: boolean;
}

/** Creates a customer (its ship-to addresses are added on its page), or changes one (with If-Match). */
export function CustomerModal({ customer, onClose }: { customer?: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const key = useCreateKey();
  const form = useSchemaForm<CustomerValues>(useRequestSchema(customer ? 'PATCH' : 'POST', customer ? '/customers/:id' : '/customers'), {
    code: customer?.code ?? '',
    name: customer?.name ?? '',
    contactName: customer?.contactName ?? '',
    email: customer?.email ?? '',
    phone: customer?.phone ?? '',
    active: customer?.active ?? true,
  });
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (body: Partial<CustomerValues>) =>
      customer
        ? api<Customer>('PATCH', `/customers/${customer.id}`, { body, version: customer.version })
        : api<Customer>('POST', '/customers', { body, idempotencyKey: key }),
    meta: { handlesErrors: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(['customer', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['list', '/customers'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'customers', saved.id] });
      notifySuccess(t('common.saved'));
      onClose();
      if (!customer) void navigate({ to: '/customers/$customerId', params: { customerId: saved.id } });
    },
    onError: (err) => setPlaced(placeProblem(form, err, { 'error.duplicate': 'code' })),
  });
  const submit = form.submit((body) => {
    if (!customer) return save.mutate(body);
    const changes = changedFields(customer, body, CONTACT_NULLABLE);
    if (Object.keys(changes).length === 0) onClose();
    else save.mutate(changes);
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={customer ? t('masterdata.customers.edit', { code: customer.code }) : t('masterdata.customers.create')}
      centered
      size="lg"
    >
      <form noValidate onSubmit={submit}>
        <Stack>
          <FormProblem error={save.error} placed={placed} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('masterdata.customers.code')}
              description={t('masterdata.codeHelp')}
              required
              data-autofocus
              {...form.field('code')}
              onChange={(e) => form.set('code', e.currentTarget.value.toUpperCase())}
            />
            <TextInput label={t('masterdata.customers.name')} required {...form.field('name')} />
          </SimpleGrid>
          <ContactFields form={form} />
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
              {customer ? t('common.save') : t('masterdata.customers.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
