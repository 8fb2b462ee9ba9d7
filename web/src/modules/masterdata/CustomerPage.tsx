import { Button, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { Details } from '../../components/Details';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import { RecordPage } from '../../components/RecordPage';
import { CustomerModal } from './CustomersPage';
import { ActiveBadge, EditButton, QueryStatus, Section } from './common';
import { ActiveSwitch, CodeInput, sendChanges, useCreateKey, useFormMutation } from './forms';
import { ADDRESS_NULLABLE, AddressFields, addressText } from './PartyFields';
import { CODE_IN_USE } from './problems';
import { RowsTable } from './RowsTable';
import { CUSTOMER, useRecord } from './records';
import type { Customer, ShipTo } from './types';

/** One customer: contact, and the consignee addresses goods are shipped to. */
export function CustomerPage() {
  const { t } = useTranslation();
  const { customerId } = useParams({ from: '/app/customers/$customerId' });
  const me = useMe();
  const customer = useRecord<Customer>(CUSTOMER, customerId);
  const [dialog, setDialog] = useState<'edit' | 'new-ship-to' | ShipTo | null>(null);
  if (!customer.isSuccess) return <QueryStatus query={customer} />;
  const c = customer.data;
  const writable = can(me, P.masterdataWrite);
  return (
    <>
      <RecordPage
        list={{ to: '/customers', labelKey: 'nav.customers' }}
        title={c.code}
        subtitle={c.name}
        status={<ActiveBadge active={c.active} />}
        record={{ entity: 'customers', id: c.id }}
        actions={writable && <EditButton onClick={() => setDialog('edit')} />}
        details={
          <Stack gap="xl">
            <Details
              rows={[
                ['masterdata.customers.code', c.code],
                ['masterdata.customers.name', c.name],
                ['masterdata.contact.name', c.contactName],
                ['masterdata.contact.email', c.email],
                ['masterdata.contact.phone', c.phone],
                ['masterdata.status', <ActiveBadge key="a" active={c.active} />],
              ]}
            />
            <Section
              title={t('masterdata.customers.shipTos')}
              actions={
                writable && (
                  <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setDialog('new-ship-to')}>
                    {t('masterdata.customers.addShipTo')}
                  </Button>
                )
              }
            >
              <RowsTable
                rows={c.shipTos}
                rowKey={(s) => s.id}
                columns={[
                  { labelKey: 'masterdata.customers.shipToCode', cell: (s) => s.code },
                  { labelKey: 'masterdata.customers.shipToName', cell: (s) => s.name },
                  { labelKey: 'masterdata.address.title', cell: (s) => addressText(s) },
                  { labelKey: 'masterdata.status', cell: (s) => <ActiveBadge active={s.active} /> },
                  writable && {
                    cell: (s) => (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        aria-label={t('masterdata.customers.editShipTo', { code: s.code })}
                        onClick={() => setDialog(s)}
                      >
                        {t('masterdata.edit')}
                      </Button>
                    ),
                  },
                ]}
                empty={t('masterdata.customers.noShipTos')}
                minWidth={640}
                testId="ship-tos"
              />
            </Section>
          </Stack>
        }
      />
      {dialog === 'edit' && <CustomerModal customer={c} onClose={() => setDialog(null)} />}
      {dialog === 'new-ship-to' && <ShipToModal customer={c} onClose={() => setDialog(null)} />}
      {dialog && typeof dialog === 'object' && <ShipToModal customer={c} shipTo={dialog} onClose={() => setDialog(null)} />}
    </>
  );
}

/** Adds a ship-to address, or changes one; the customer and its addresses share one version (If-Match). */
function ShipToModal({ customer, shipTo, onClose }: { customer: Customer; shipTo?: ShipTo; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = useCreateKey();
  const form = useSchemaForm(
    useRequestSchema(shipTo ? 'PATCH' : 'POST', shipTo ? '/customers/:id/ship-tos/:shipToId' : '/customers/:id/ship-tos'),
    {
      code: shipTo?.code ?? '',
      name: shipTo?.name ?? '',
      addressLine1: shipTo?.addressLine1 ?? '',
      addressLine2: shipTo?.addressLine2 ?? '',
      city: shipTo?.city ?? '',
      postalCode: shipTo?.postalCode ?? '',
      region: shipTo?.region ?? '',
      country: shipTo?.country ?? 'CN',
      active: shipTo?.active ?? true,
    },
  );
  const save = useFormMutation(form, {
    send: (body: Partial<typeof form.values>) =>
      shipTo
        ? api<Customer>('PATCH', `/customers/${customer.id}/ship-tos/${shipTo.id}`, { body, version: customer.version })
        : api<Customer>('POST', `/customers/${customer.id}/ship-tos`, { body, idempotencyKey: key }),
    onSaved: (saved) => {
      queryClient.setQueryData([CUSTOMER.queryKey, customer.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['list', CUSTOMER.path] });
      notifySuccess(t('common.saved'));
      onClose();
    },
    fieldOf: CODE_IN_USE,
  });
  const submit = form.submit((body) => {
    if (!shipTo) return save.mutate(body);
    sendChanges(shipTo, body, { nullable: ADDRESS_NULLABLE, send: save.mutate, unchanged: onClose });
  });
  return (
    <FormModal
      title={shipTo ? t('masterdata.customers.editShipTo', { code: shipTo.code }) : t('masterdata.customers.addShipTo')}
      size="xl"
      onClose={onClose}
      onSubmit={submit}
      save={save}
      submitLabel={shipTo ? t('common.save') : t('masterdata.customers.addShipTo')}
      lead={
        <Text size="sm" fw={600}>
          {customer.code} · {customer.name}
        </Text>
      }
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <CodeInput form={form} label={t('masterdata.customers.shipToCode')} />
        <TextInput label={t('masterdata.customers.shipToName')} required {...form.field('name')} />
      </SimpleGrid>
      <AddressFields form={form} />
      <ActiveSwitch form={form} />
    </FormModal>
  );
}
