import { Group, Select, Text, Tooltip } from '@mantine/core';
import { IconArrowRight, IconSignature } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDecimal } from '../../components/decimal';
import { formatDateTime } from '../../components/format';
import { manifestationLine } from '../../components/Manifestation';
import { StatusBadge } from '../../components/StatusBadge';
import i18n from '../../i18n';
import { LocationLabel, LotLink } from './common';
import type { Movement } from './types';

export const MOVEMENT_TYPES = ['receipt', 'transfer', 'issue', 'return', 'production_output', 'scrap', 'adjustment', 'shipment'];

const TYPE_COLORS: Record<string, string> = {
  receipt: 'teal',
  transfer: 'blue',
  issue: 'grape',
  return: 'cyan',
  production_output: 'indigo',
  scrap: 'red',
  adjustment: 'orange',
  shipment: 'violet',
};

/** + stock came in, − it left inventory, nothing when it only moved between locations. */
export function signedQuantity(m: Pick<Movement, 'quantity' | 'fromLocationId' | 'toLocationId'>): string {
  if (m.fromLocationId && m.toLocationId) return m.quantity;
  return m.toLocationId ? `+${m.quantity}` : `-${m.quantity}`;
}

const referenceText = (m: Movement) =>
  m.reference ? `${i18n.t(`inventory.references.${m.reference.type}`, { defaultValue: m.reference.type })} ${m.reference.id}` : '';

/** The record behind a movement by its number ("Goods receipt GR-2026-00012 · line 2"), else what a person typed. */
function sourceText(m: Movement): string {
  const source = m.source;
  if (!source?.label) return referenceText(m);
  const line = source.line ? ` · ${i18n.t('inventory.movement.line', { line: source.line })}` : '';
  return `${i18n.t(`inventory.sources.${source.kind}`)} ${source.label}${line}`;
}

/** A link to the source record where it has a page; inventory's own operations show their reference. */
function SourceCell({ movement }: { movement: Movement }) {
  const { source } = movement;
  if (source?.kind === 'purchase_receipt' && source.label) {
    return (
      <AnchorLink to="/purchasing/receipts/$receiptId" params={{ receiptId: source.id }} style={{ whiteSpace: 'nowrap' }}>
        {sourceText(movement)}
      </AnchorLink>
    );
  }
  if (source?.kind === 'customer_return' && source.label) {
    return (
      <AnchorLink to="/sales/returns/$returnId" params={{ returnId: source.id }} style={{ whiteSpace: 'nowrap' }}>
        {sourceText(movement)}
      </AnchorLink>
    );
  }
  return sourceText(movement);
}

function columns(scope: { lot: boolean; item: boolean }): Column<Movement>[] {
  const t = i18n.t.bind(i18n);
  const all: Array<Column<Movement> | false> = [
    { key: 'createdAt', labelKey: 'inventory.movement.at', sortable: true, text: (m) => formatDateTime(m.createdAt) },
    {
      key: 'movementType',
      labelKey: 'inventory.movement.type',
      text: (m) => t(`inventory.movementTypes.${m.movementType}`),
      render: (m) => (
        <div style={{ minWidth: 'max-content' }}>
          <StatusBadge prefix="inventory.movementTypes" value={m.movementType} colors={TYPE_COLORS} />
        </div>
      ),
    },
    !scope.item && { key: 'item', labelKey: 'inventory.lot.item', text: (m) => m.item.code },
    !scope.lot && {
      key: 'lotNumber',
      labelKey: 'inventory.lot.number',
      render: (m) => (m.lotId ? <LotLink lotId={m.lotId}>{m.lotNumber}</LotLink> : '—'),
    },
    {
      key: 'quantity',
      labelKey: 'inventory.movement.quantity',
      text: (m) => signedQuantity(m),
      render: (m) => {
        const signed = signedQuantity(m);
        return (
          <Text
            span
            size="sm"
            fw={600}
            c={signed.startsWith('+') ? 'teal.8' : signed.startsWith('-') ? 'red.8' : undefined}
            style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}
          >
            {signed.startsWith('+') ? '+' : signed.startsWith('-') ? '−' : ''}
            {formatDecimal(m.quantity, m.item.baseUnit)}
          </Text>
        );
      },
    },
    {
      key: 'route',
      labelKey: 'inventory.movement.fromTo',
      text: (m) => `${m.fromLocation?.code ?? ''} → ${m.toLocation?.code ?? ''}`,
      render: (m) => (
        <Group gap={4} wrap="nowrap">
          {m.fromLocation ? (
            <LocationLabel location={m.fromLocation} />
          ) : (
            <Text span c="dimmed">
              —
            </Text>
          )}
          <IconArrowRight size={14} aria-label={t('inventory.movement.to')} />
          {m.toLocation ? (
            <LocationLabel location={m.toLocation} />
          ) : (
            <Text span c="dimmed">
              —
            </Text>
          )}
        </Group>
      ),
    },
    { key: 'reference', labelKey: 'inventory.movement.reference', text: sourceText, render: (m) => <SourceCell movement={m} /> },
    { key: 'reason', labelKey: 'inventory.movement.reason' },
    {
      key: 'actor',
      labelKey: 'inventory.movement.actor',
      text: (m) => m.actor.name,
      render: (m) => (
        <Group gap={4} wrap="nowrap">
          <Text span size="sm">
            {m.actor.name}
          </Text>
          {m.signature && (
            <Tooltip label={manifestationLine(m.signature, i18n)} multiline maw={360}>
              <IconSignature size={16} aria-label={manifestationLine(m.signature, i18n)} data-testid="movement-signature" />
            </Tooltip>
          )}
        </Group>
      ),
    },
    {
      key: 'signature',
      labelKey: 'inventory.movement.signature',
      optional: true,
      text: (m) => (m.signature ? manifestationLine(m.signature, i18n) : ''),
    },
  ];
  return all.filter((c): c is Column<Movement> => Boolean(c));
}

/** The stock ledger of a lot, an item or a location: every movement with who, when, why and the document behind it. */
export function MovementsTable({ lotId, itemId, locationId }: { lotId?: string; itemId?: string; locationId?: string }) {
  const { t } = useTranslation();
  const [type, setType] = useState<string | null>(null);
  return (
    <DataTable<Movement>
      id={lotId ? 'inventory-lot-movements' : 'inventory-item-movements'}
      path="/inventory/movements"
      columns={columns({ lot: Boolean(lotId), item: Boolean(lotId || itemId) })}
      rowKey={(m) => m.id}
      searchable={false}
      defaultSort="-createdAt"
      filters={{ lotId, itemId, locationId, type: type ?? undefined }}
      emptyKey="inventory.movement.none"
      filterControls={
        <Select
          aria-label={t('inventory.movement.type')}
          placeholder={t('inventory.movement.allTypes')}
          clearable
          data={MOVEMENT_TYPES.map((m) => ({ value: m, label: t(`inventory.movementTypes.${m}`) }))}
          value={type}
          onChange={setType}
          w={180}
        />
      }
    />
  );
}
