import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileExport } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { inventoryProblem } from './problems';

/** Downloads the lot's or serial's history as an EPCIS 2.0 JSON-LD document, validated by the server before it is sent. */
export function EpcisButton({ lotId, number }: { lotId: string; number: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const doc = await get<unknown>('/traceability/epcis', { lot: lotId });
      const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/ld+json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `epcis-${number.replace(/[^\w.-]/g, '_')}.jsonld`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      notifications.show({ color: 'red', message: t('inventory.epcis.failed', { detail: inventoryProblem(err) }) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      variant="default"
      leftSection={<IconFileExport size={16} />}
      loading={busy}
      title={t('inventory.epcis.downloadTitle')}
      onClick={download}
    >
      {t('inventory.epcis.download')}
    </Button>
  );
}
