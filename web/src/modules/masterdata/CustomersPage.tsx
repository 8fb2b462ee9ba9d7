import { SimpleGrid, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { P } from '../../app/permissions';
import type { Column } from '../../components/DataTable';
import { ActiveSelect, activeColumn, activeFilter } from './common';
import { ActiveSwitch, CodeInput } from './forms';
import { ListPage } from './ListPage';
import { CONTACT_NULLABLE, ContactFields } from './PartyFields';
import { CODE_IN_USE } from './problems';
import { CUSTOMER, codeColumn, RecordFormModal, useRecordForm } from './records';
import type { Customer } from './types';

const columns: Column<Customer>[] = [
  codeColumn(CUSTOMER, 'masterdata.customers.code'),
  { key: 'name', labelKey: 'masterdata.customers.name' },
  { key: 'contactName', labelKey: 'masterdata.contact.name' },
  { key: 'email', labelKey: 'masterdata.contact.email', optional: true },
  { key: 'shipTos', labelKey: 'masterdata.customers.shipTos', text: (c) => String(c.shipTos.filter((s) => s.active).length) },
  activeColumn(),
];

/** Customers (hospitals, distributors) with their ship-to addresses. */
export function CustomersPage() {
  const { t } = useTranslation();
  const [active, setActive] = useState<string | null>('true');
  return (
    <ListPage<Customer>
      title={t('nav.customers')}
      create={{ label: t(CUSTOMER.createLabel), permission: P.masterdataWrite, form: (close) => <CustomerModal onClose={close} /> }}
      id="masterdata.customers"
      path={CUSTOMER.path}
      columns={columns}
      rowKey={(c) => c.id}
      filters={{ active: activeFilter(active) }}
      filterControls={<ActiveSelect value={active} onChange={setActive} />}
    />
  );
}

/** Creates a customer (its ship-to addresses are added on its page), or changes one. */
export function CustomerModal({ customer, onClose }: { customer?: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const { form, ...editor } = useRecordForm(
    CUSTOMER,
    customer,
    {
      code: customer?.code ?? '',
      name: customer?.name ?? '',
      contactName: customer?.contactName ?? '',
      email: customer?.email ?? '',
      phone: customer?.phone ?? '',
      active: customer?.active ?? true,
    },
    { onClose, nullable: CONTACT_NULLABLE, fieldOf: CODE_IN_USE },
  );
  return (
    <RecordFormModal kind={CUSTOMER} record={customer} editor={editor} onClose={onClose} size="lg">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <CodeInput form={form} label={t('masterdata.customers.code')} />
        <TextInput label={t('masterdata.customers.name')} required {...form.field('name')} />
      </SimpleGrid>
      <ContactFields form={form} />
      <ActiveSwitch form={form} />
    </RecordFormModal>
  );
}
