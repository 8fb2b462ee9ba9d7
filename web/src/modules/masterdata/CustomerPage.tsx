import { Alert, Button, Group, Loader, Modal, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/nav';
import { can } from '../../auth/session';
import { Details } from '../../components/Details';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import { RecordPage } from '../../components/RecordPage';
import { problemMessage } from '../../i18n';
import { CustomerModal } from './CustomersPage';
import { ActiveBadge, changedFields, FormProblem, Section, useCreateKey, useMe } from './common';
import { ADDRESS_NULLABLE, AddressFields, addressText } from './PartyFields';
import { placeProblem } from './problems';
import type { Customer, ShipTo } from './types';

/** One customer: contact, and the consignee addresses goods are shipped to. */
export function CustomerPage() {
  const { t } = useTranslation();
  const { customerId } = useParams({ from: '/app/customers/$customerId' });
  const me = useMe();
  const customer = useQuery({ queryKey: ['customer', customerId], queryFn: () => get<Customer>(`/customers/${customerId}`) });
  const [dialog, setDialog] = useState<'edit' | 'new-ship-to' | ShipTo | null>(null);
  if (customer.isPending) return <Loader aria-label={t('common.loading')} />;
  if (customer.isError) return <Alert color="red">{problemMessage(customer.error)}</Alert>;
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
        actions={
          writable && (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setDialog('edit')}>
              {t('masterdata.edit')}
            </Button>
          )
        }
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
              {c.shipTos.length === 0 ? (
                <Text c="dimmed">{t('masterdata.customers.noShipTos')}</Text>
              ) : (
                <Table.ScrollContainer minWidth={640}>
                  <Table withTableBorder striped data-testid="ship-tos">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('masterdata.customers.shipToCode')}</Table.Th>
                        <Table.Th>{t('masterdata.customers.shipToName')}</Table.Th>
                        <Table.Th>{t('masterdata.address.title')}</Table.Th>
                        <Table.Th>{t('masterdata.status')}</Table.Th>
                        {writable && <Table.Th />}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {c.shipTos.map((s) => (
                        <Table.Tr key={s.id}>
                          <Table.Td>{s.code}</Table.Td>
                          <Table.Td>{s.name}</Table.Td>
                          <Table.Td>{addressText(s)}</Table.Td>
                          <Table.Td>
                            <ActiveBadge active={s.active} />
                          </Table.Td>
                          {writable && (
                            <Table.Td>
                              <Button
                                size="compact-sm"
                                variant="subtle"
                                aria-label={t('masterdata.customers.editShipTo', { code: s.code })}
                                onClick={() => setDialog(s)}
                              >
                                {t('masterdata.edit')}
                              </Button>
                            </Table.Td>
                          )}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
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

interface ShipToValues extends Record<string, unknown> {
  code: string;
  name: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  postalCode: string;
  region: string;
  country: string;
  active: boolean;
}

/** Adds a ship-to address, or changes one; the customer and its addresses share one version (If-Match). */
function ShipToModal({ customer, shipTo, onClose }: { customer: Customer; shipTo?: ShipTo; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = useCreateKey();
  const form = useSchemaForm<ShipToValues>(
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
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (body: Partial<ShipToValues>) =>
      shipTo
        ? api<Customer>('PATCH', `/customers/${customer.id}/ship-tos/${shipTo.id}`, { body, version: customer.version })
        : api<Customer>('POST', `/customers/${customer.id}/ship-tos`, { body, idempotencyKey: key }),
    meta: { handlesErrors: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(['customer', customer.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['list', '/customers'] });
      notifySuccess(t('common.saved'));
      onClose();
    },
    onError: (err) => setPlaced(placeProblem(form, err, { 'error.duplicate': 'code' })),
  });
  const submit = form.submit((body) => {
    if (!shipTo) return save.mutate(body);
    const changes = changedFields(shipTo, body, ADDRESS_NULLABLE);
    if (Object.keys(changes).length === 0) onClose();
    else save.mutate(changes);
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={shipTo ? t('masterdata.customers.editShipTo', { code: shipTo.code }) : t('masterdata.customers.addShipTo')}
      centered
      size="xl"
    >
      <form noValidate onSubmit={submit}>
        <Stack>
          <Text size="sm" fw={600}>
            {customer.code} · {customer.name}
          </Text>
          <FormProblem error={save.error} placed={placed} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('masterdata.customers.shipToCode')}
              description={t('masterdata.codeHelp')}
              required
              data-autofocus
              {...form.field('code')}
              onChange={(e) => form.set('code', e.currentTarget.value.toUpperCase())}
            />
            <TextInput label={t('masterdata.customers.shipToName')} required {...form.field('name')} />
          </SimpleGrid>
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
              {shipTo ? t('common.save') : t('masterdata.customers.addShipTo')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
