import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { IconSignature } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from './format';
import { MEANING_KEYS, type Signature } from './signatures';

/** A signature's manifestation: printed name, date and time, meaning — and whether it still holds. */
export function Manifestation({ signature }: { signature: Signature }) {
  const { t } = useTranslation();
  const meaning = MEANING_KEYS[signature.meaning] ? t(MEANING_KEYS[signature.meaning]!) : signature.meaning;
  return (
    <Card withBorder padding="sm" data-testid="manifestation">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap="sm" align="flex-start" wrap="nowrap">
          <IconSignature size={22} aria-hidden />
          <Stack gap={2}>
            <Text fw={700}>{signature.printedName}</Text>
            <Text size="sm">
              {t('signature.meaningLabel')}: {meaning}
            </Text>
            <Text size="sm">
              {t('signature.signedAt')}: {formatDateTime(signature.signedAt)}
            </Text>
            {signature.reason && (
              <Text size="sm" c="dimmed">
                {t('signature.comment')}: {signature.reason}
              </Text>
            )}
          </Stack>
        </Group>
        <Badge color={signature.valid ? 'green' : 'red'} variant="light">
          {signature.valid ? t('signature.valid') : t('signature.invalid')}
        </Badge>
      </Group>
    </Card>
  );
}
