import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * A status (or kind) value of the server's lists, in the reader's language: `prefix` names the
 * catalog list (`inventory.lotStatuses`), `colors` the colour per value (grey when absent).
 */
export function StatusBadge({ prefix, value, colors }: { prefix: string; value: string; colors?: Record<string, string> }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={colors?.[value] ?? 'gray'} data-status={value}>
      {t(`${prefix}.${value}`, { defaultValue: value })}
    </Badge>
  );
}

const INSPECTION_COLORS: Record<string, string> = { open: 'orange', accepted: 'green', rejected: 'red' };

/** An incoming inspection's status: shown on the lot, the receipt and the inspection itself. */
export function InspectionStatus({ status }: { status: string }) {
  return <StatusBadge prefix="quality.inspectionStatuses" value={status} colors={INSPECTION_COLORS} />;
}
