import { Alert, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import { problemMessage } from '../i18n';
import { Manifestation } from './Manifestation';
import type { RecordRef } from './RecordPage';
import type { Signature } from './signatures';

/** Every signature on a record with its manifestation and whether the record still matches it. */
export function SignaturesTab({ record }: { record: RecordRef }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['signatures', record.entity, record.id],
    queryFn: () => get<{ items: Signature[] }>('/signatures', { entity: record.entity, id: record.id }),
  });
  if (list.isPending) return <Loader aria-label={t('common.loading')} />;
  if (list.isError) return <Alert color="red">{problemMessage(list.error)}</Alert>;
  if (list.data.items.length === 0) return <Text c="dimmed">{t('signature.none')}</Text>;
  return (
    <Stack gap="sm">
      {list.data.items.map((s) => (
        <Manifestation key={s.id} signature={s} />
      ))}
    </Stack>
  );
}
