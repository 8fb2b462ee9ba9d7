import { SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FieldForm } from './forms';

/** Postal address fields of a supplier or ship-to address; the country is ISO 3166-1 alpha-2 (CN, DE). */
export function AddressFields({ form }: { form: FieldForm }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <TextInput label={t('masterdata.address.line1')} required {...form.field('addressLine1')} />
      <TextInput label={t('masterdata.address.line2')} {...form.field('addressLine2')} />
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <TextInput label={t('masterdata.address.postalCode')} {...form.field('postalCode')} />
        <TextInput label={t('masterdata.address.city')} required {...form.field('city')} />
        <TextInput label={t('masterdata.address.region')} {...form.field('region')} />
        <TextInput
          label={t('masterdata.address.country')}
          description={t('masterdata.address.countryHelp')}
          required
          maxLength={2}
          {...form.field('country')}
          onChange={(e) => form.set('country', e.currentTarget.value.toUpperCase())}
        />
      </SimpleGrid>
    </Stack>
  );
}

/** Contact person, e-mail and phone of a supplier or customer. */
export function ContactFields({ form }: { form: FieldForm }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <TextInput label={t('masterdata.contact.name')} {...form.field('contactName')} />
      <TextInput label={t('masterdata.contact.email')} type="email" {...form.field('email')} />
      <TextInput label={t('masterdata.contact.phone')} type="tel" {...form.field('phone')} />
    </SimpleGrid>
  );
}

export const addressText = (a: {
  addressLine1: string;
  addressLine2: string | null;
  postalCode: string | null;
  city: string;
  region: string | null;
  country: string;
}) => [a.addressLine1, a.addressLine2, [a.postalCode, a.city].filter(Boolean).join(' '), a.region, a.country].filter(Boolean).join(', ');

export const ADDRESS_NULLABLE = ['addressLine2', 'postalCode', 'region'] as const;
export const CONTACT_NULLABLE = ['contactName', 'email', 'phone'] as const;
