import { SimpleGrid, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { P } from '../../app/permissions';
import type { Column } from '../../components/DataTable';
import { ActiveSelect, activeColumn, activeFilter } from './common';
import { ActiveSwitch, CodeInput } from './forms';
import { ListPage } from './ListPage';
import { ADDRESS_NULLABLE, AddressFields, CONTACT_NULLABLE, ContactFields } from './PartyFields';
import { CODE_IN_USE } from './problems';
import { codeColumn, RecordFormModal, SUPPLIER, useRecordForm } from './records';
import type { Supplier } from './types';

const columns: Column<Supplier>[] = [
  codeColumn(SUPPLIER, 'masterdata.suppliers.code'),
  { key: 'name', labelKey: 'masterdata.suppliers.name' },
  { key: 'city', labelKey: 'masterdata.address.city' },
  { key: 'country', labelKey: 'masterdata.address.country' },
  { key: 'contactName', labelKey: 'masterdata.contact.name' },
  { key: 'email', labelKey: 'masterdata.contact.email', optional: true },
  { key: 'phone', labelKey: 'masterdata.contact.phone', optional: true },
  activeColumn(),
];

/** Suppliers; each one's approved supplier list is on its page. */
export function SuppliersPage() {
  const { t } = useTranslation();
  const [active, setActive] = useState<string | null>('true');
  return (
    <ListPage<Supplier>
      title={t('nav.suppliers')}
      create={{ label: t(SUPPLIER.createLabel), permission: P.masterdataWrite, form: (close) => <SupplierModal onClose={close} /> }}
      id="masterdata.suppliers"
      path={SUPPLIER.path}
      columns={columns}
      rowKey={(s) => s.id}
      filters={{ active: activeFilter(active) }}
      filterControls={<ActiveSelect value={active} onChange={setActive} />}
    />
  );
}

/** Creates a supplier, or changes one. */
export function SupplierModal({ supplier, onClose }: { supplier?: Supplier; onClose: () => void }) {
  const { t } = useTranslation();
  const { form, ...editor } = useRecordForm(
    SUPPLIER,
    supplier,
    {
      code: supplier?.code ?? '',
      name: supplier?.name ?? '',
      contactName: supplier?.contactName ?? '',
      email: supplier?.email ?? '',
      phone: supplier?.phone ?? '',
      addressLine1: supplier?.addressLine1 ?? '',
      addressLine2: supplier?.addressLine2 ?? '',
      city: supplier?.city ?? '',
      postalCode: supplier?.postalCode ?? '',
      region: supplier?.region ?? '',
      country: supplier?.country ?? 'CN',
      active: supplier?.active ?? true,
    },
    { onClose, nullable: [...CONTACT_NULLABLE, ...ADDRESS_NULLABLE], fieldOf: CODE_IN_USE },
  );
  return (
    <RecordFormModal kind={SUPPLIER} record={supplier} editor={editor} onClose={onClose} size="xl">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <CodeInput form={form} label={t('masterdata.suppliers.code')} />
        <TextInput label={t('masterdata.suppliers.name')} required {...form.field('name')} />
      </SimpleGrid>
      <ContactFields form={form} />
      <AddressFields form={form} />
      <ActiveSwitch form={form} />
    </RecordFormModal>
  );
}
