import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { IconSignature } from '@tabler/icons-react';
import type { i18n as I18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Signature } from './signatures';

/** The manifestation as one line in the reader's language; the server's own text when its code is not in the catalog. */
export function manifestationLine(signature: Pick<Signature, 'manifestation'>, i18n: Pick<I18n, 't' | 'exists'>): string {
  const { code, params, text } = signature.manifestation;
  if (!i18n.exists(code)) return text;
  return i18n.t(code, { ...params, meaning: i18n.exists(params.meaning) ? i18n.t(params.meaning) : params.meaning });
}

/**
 * A signature's manifestation (Part 11 §11.50): printed name, date and time in the site's zone,
 * meaning — in the reader's language — and whether the record still matches what was signed.
 */
export function Manifestation({ signature }: { signature: Signature }) {
  const { t, i18n } = useTranslation();
  const line = manifestationLine(signature, i18n);
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
