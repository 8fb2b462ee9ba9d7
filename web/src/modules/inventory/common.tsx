import { Badge, Button, Group, Text, Tooltip } from '@mantine/core';
import { IconArrowsExchange } from '@tabler/icons-react';
import type { QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDecimal } from '../../components/decimal';
import { formatDate } from '../../components/format';
import { StatusBadge } from '../../components/StatusBadge';
import { daysBetween, type ExpiryState, expiryState } from './calendar';
import { type LocationRef, type LotStatus, STATUS_COLORS } from './types';

/** A lot's status, the same colour on every screen; tables never clip it. */
export function LotStatusBadge({ status, holdReason }: { status: LotStatus; holdReason?: string | null }) {
  const badge = (
    <span style={{ display: 'inline-block', minWidth: 'max-content' }}>
      <StatusBadge prefix="inventory.lotStatuses" value={status} colors={STATUS_COLORS} />
    </span>
  );
  return holdReason ? (
    <Tooltip label={holdReason} multiline maw={320}>
      <span>{badge}</span>
    </Tooltip>
  ) : (
    badge
  );
}

const EXPIRY_COLORS: Record<ExpiryState, string> = { expired: 'red', soon: 'orange', ok: 'gray' };

/** An expiry date, flagged when it has passed or comes within the warning window. */
export function ExpiryDate({ expiresOn, today, flag = true }: { expiresOn: string | null; today: string; flag?: boolean }) {
  const { t } = useTranslation();
  const state = expiryState(expiresOn, today);
  if (!expiresOn || !state) return <Text span>—</Text>;
  const days = daysBetween(today, expiresOn);
  return (
    <Group gap={6} wrap="nowrap" data-expiry={state}>
      <Text
        span
        size="sm"
        c={flag && state !== 'ok' ? EXPIRY_COLORS[state] : undefined}
        fw={flag && state !== 'ok' ? 600 : undefined}
        style={{ whiteSpace: 'nowrap' }}
      >
        {formatDate(expiresOn)}
      </Text>
      {flag && state === 'expired' && (
        <Badge size="xs" color="red" variant="filled" tt="none" style={{ flexShrink: 0 }}>
          {t('inventory.expiry.expired')}
        </Badge>
      )}
      {flag && state === 'soon' && (
        <Badge size="xs" color="orange" variant="light" tt="none" style={{ flexShrink: 0 }}>
          {days === 0 ? t('inventory.expiry.today') : t('inventory.expiry.inDays', { count: days })}
        </Badge>
      )}
    </Group>
  );
}

/** A quantity with its unit, exact, right-aligned in tables. */
export function Quantity({ value, unit, strong }: { value: string; unit?: string; strong?: boolean }) {
  return (
    <Text span size="sm" fw={strong ? 600 : undefined} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
      {formatDecimal(value, unit)}
    </Text>
  );
}

export function LocationLabel({ location }: { location: LocationRef }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={`${location.name} · ${t(`masterdata.locationKinds.${location.kind}`)}`}>
      <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
        {location.code}
      </Text>
    </Tooltip>
  );
}

export const locationOption = (l: { code: string; name: string; kind: string }, kindLabel: (k: string) => string) =>
  `${l.code} · ${l.name} (${kindLabel(l.kind)})`;

/** A link to a lot's page, for every screen that names a lot (receipts, inspections, the ledger). */
export function LotLink({ lotId, children, testId, strong }: { lotId: string; children: ReactNode; testId?: string; strong?: boolean }) {
  return (
    <AnchorLink
      to="/inventory/lots/$lotId"
      params={{ lotId }}
      data-testid={testId}
      fw={strong ? 600 : undefined}
      style={{ whiteSpace: 'nowrap' }}
    >
      {children}
    </AnchorLink>
  );
}

/** What can be done with the stock of one row (a lot at a location): transfer it, or book a counted difference. */
export function StockMoves({ onTransfer, onAdjust }: { onTransfer?: (() => void) | undefined; onAdjust?: (() => void) | undefined }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      {onTransfer && (
        <Button size="compact-xs" variant="subtle" leftSection={<IconArrowsExchange size={14} />} onClick={onTransfer}>
          {t('inventory.transfer.action')}
        </Button>
      )}
      {onAdjust && (
        <Button size="compact-xs" variant="subtle" onClick={onAdjust}>
          {t('inventory.adjust.action')}
        </Button>
      )}
    </Group>
  );
}

/** After a stock move or a lot step: everything the inventory screens show may have changed. */
export function refreshInventory(queryClient: QueryClient, lotId?: string): void {
  void queryClient.invalidateQueries({
    predicate: (q) => q.queryKey[0] === 'inventory' || (q.queryKey[0] === 'list' && String(q.queryKey[1]).startsWith('/inventory')),
  });
  if (lotId) void queryClient.invalidateQueries({ queryKey: ['audit', 'lots', lotId] });
}
