import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { IconSignature } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Signature } from './signatures';

/**
 * A signature's manifestation (Part 11 §11.50): printed name, date and time in the site's zone,
 * meaning — in the reader's language — and whether the record still matches what was signed.
 */
export function Manifestation({ signature }: { signature: Signature }) {
  const { t, i18n } = useTranslation();
  const { code, params, text } = signature.manifestation;
  const line = i18n.exists(code) ? t(code, { ...params, meaning: i18n.exists(params.meaning) ? t(params.meaning) : params.meaning }) : text;
  return (
    <Card withBorder padding="sm" data-testid="manifestation">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap="sm" align="flex-start" wrap="nowrap">
          <IconSignature size={22} aria-hidden />
          <Stack gap={2}>
            <Text fw={600}>{line}</Text>
            {signature.comment && (
              <Text size="sm" c="dimmed">
                {t('signature.comment')}: {signature.comment}
              </Text>
            )}
          </Stack>
        </Group>
        <Badge color={signature.valid ? 'green' : 'red'} variant="light" style={{ flexShrink: 0 }}>
          {signature.valid ? t('signature.valid') : t('signature.invalid')}
        </Badge>
      </Group>
    </Card>
  );
}
