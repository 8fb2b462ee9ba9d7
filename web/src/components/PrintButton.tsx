import { Button, Tooltip } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/**
 * Opens a record's printable copy (Part 11 §11.10(b)) in a new tab: the server's PDF at `path`
 * (under /api/v1, e.g. `/purchasing/orders/<id>/pdf`), in the language the person reads the
 * app in. The session cookie goes with the request, so the same permissions apply. `label`
 * names the document when a record prints more than one (a shipment's packing list and certificate).
 */
export function PrintButton({ path, label }: { path: string; label?: string }) {
  const { t, i18n } = useTranslation();
  const href = `/api/v1${path}?lang=${encodeURIComponent(i18n.language === 'zh-CN' ? 'zh-CN' : 'en')}`;
  return (
    <Tooltip label={t('print.buttonHelp')} withArrow>
      <Button
        component="a"
        href={href}
        target="_blank"
        rel="noopener"
        variant="default"
        leftSection={<IconPrinter size={16} aria-hidden />}
      >
        {label ?? t('print.button')}
      </Button>
    </Tooltip>
  );
}
