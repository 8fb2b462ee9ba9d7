import { Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { StatusBadge } from '../../components/StatusBadge';
import { STATUS_COLORS } from './types';

/** Building blocks the purchasing (and incoming inspection) screens share. */

/** One Idempotency-Key per opened form: a retried or double-clicked create or move happens once. */
export const useActionKey = () => useState(() => crypto.randomUUID());

export function OrderStatus({ status }: { status: string }) {
  return <StatusBadge prefix="purchasing.orderStatuses" value={status} colors={STATUS_COLORS} />;
}

/** A labelled figure of a line or receipt: ordered, received, open… */
export function Figure({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={strong ? 700 : 500}>{value}</Text>
    </Stack>
  );
}
