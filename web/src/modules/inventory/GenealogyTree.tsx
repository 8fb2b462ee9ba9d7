import { ActionIcon, Box, Button, Group, Text } from '@mantine/core';
import { traceChildren } from '@server/modules/inventory/contract';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StatusBadge } from '../../components/StatusBadge';
import { LotLink, LotStatusBadge } from './common';
import { type LotStatus, STATUS_COLORS, type Trace, type TracedLot } from './types';

/** Levels open when the tree is first drawn: the start lot's links and theirs. */
const OPEN_LEVELS = 2;
/** Children drawn under a lot at first, and how many more each "show more" adds: a lot with 10,000 serials stays readable. */
const FIRST_CHILDREN = 25;
const MORE_CHILDREN = 200;

export interface GenealogyRoot {
  id: string;
  number: string;
  kind: TracedLot['kind'];
  status: LotStatus;
  item: { code: string; name: string };
}

const fmt = new Intl.NumberFormat();

/**
 * One direction of a lot's genealogy drawn as an expandable tree: the lot at the top, under each
 * lot the lots reached through it, each with item, number, status colour, work order and, for a
 * received lot, its supplier. The first levels are open; a large fan-out shows its first lots and
 * a count of the rest, revealed a page at a time.
 */
export function GenealogyTree({ root, trace }: { root: GenealogyRoot; trace: Trace }) {
  const children = useMemo(() => traceChildren(trace.lots), [trace.lots]);
  const [open, setOpen] = useState<ReadonlySet<string>>(
    () => new Set([root.id, ...trace.lots.filter((l) => l.depth < OPEN_LEVELS).map((l) => l.lotId)]),
  );
  const [shown, setShown] = useState<ReadonlyMap<string, number>>(new Map());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const showMore = (id: string) => setShown((prev) => new Map(prev).set(id, (prev.get(id) ?? FIRST_CHILDREN) + MORE_CHILDREN));

  const branch = (parentId: string) => {
    const all = children.get(parentId) ?? [];
    const limit = shown.get(parentId) ?? FIRST_CHILDREN;
    return (
      <Branch
        lots={all.slice(0, limit)}
        hidden={Math.max(0, all.length - limit)}
        onShowMore={() => showMore(parentId)}
        render={(lot) => (
          <Node
            key={lot.lotId}
            lot={lot}
            childCount={children.get(lot.lotId)?.length ?? 0}
            open={open.has(lot.lotId)}
            onToggle={() => toggle(lot.lotId)}
          >
            {open.has(lot.lotId) && branch(lot.lotId)}
          </Node>
        )}
      />
    );
  };

  return (
    <Box role="tree" data-testid={`genealogy-tree-${trace.direction}`}>
      <Card status={root.status} testId={`genealogy-node-${root.number}`}>
        <Group gap="xs" wrap="wrap">
          <Toggle
            number={root.number}
            childCount={children.get(root.id)?.length ?? 0}
            open={open.has(root.id)}
            onToggle={() => toggle(root.id)}
          />
          <Text fw={700}>{root.number}</Text>
          <StatusBadge prefix="inventory.lotKinds" value={root.kind} />
          <Text size="sm">
            {root.item.code} · {root.item.name}
          </Text>
          <LotStatusBadge status={root.status} />
        </Group>
      </Card>
      {open.has(root.id) && branch(root.id)}
    </Box>
  );
}

/** The lots under one lot, joined to it by a line, with the count of those not yet drawn. */
function Branch({
  lots,
  hidden,
  onShowMore,
  render,
}: {
  lots: TracedLot[];
  hidden: number;
  onShowMore: () => void;
  render: (lot: TracedLot) => React.ReactNode;
}) {
  const { t } = useTranslation();
  if (lots.length === 0) return null;
  return (
    <Box
      component="ul"
      role="group"
      ml="md"
      pl="md"
      my={0}
      style={{ listStyle: 'none', borderLeft: '1px solid var(--mantine-color-default-border)' }}
    >
      {lots.map(render)}
      {hidden > 0 && (
        <Box component="li" py={4}>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('inventory.genealogy.more', { count: hidden, formatted: fmt.format(hidden) })}
            </Text>
            <Button size="compact-xs" variant="light" onClick={onShowMore}>
              {t('inventory.genealogy.showMore', { count: Math.min(hidden, MORE_CHILDREN) })}
            </Button>
          </Group>
        </Box>
      )}
    </Box>
  );
}

function Node({
  lot,
  childCount,
  open,
  onToggle,
  children,
}: {
  lot: TracedLot;
  childCount: number;
  open: boolean;
  onToggle: () => void;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Box component="li" role="treeitem" aria-expanded={childCount ? open : undefined} pt={6} style={{ position: 'relative' }}>
      {/* the tick from the branch line to the card */}
      <Box
        aria-hidden
        style={{ position: 'absolute', left: -16, top: 22, width: 12, borderTop: '1px solid var(--mantine-color-default-border)' }}
      />
      <Card status={lot.status} testId={`genealogy-node-${lot.number}`}>
        <Group gap="xs" wrap="wrap">
          <Toggle number={lot.number} childCount={childCount} open={open} onToggle={onToggle} />
          <LotLink lotId={lot.lotId} strong>
            {lot.number}
          </LotLink>
          <StatusBadge prefix="inventory.lotKinds" value={lot.kind} />
          <Text size="sm">
            {lot.itemCode} · {lot.itemName}
          </Text>
          <LotStatusBadge status={lot.status} />
          {lot.workOrderNumber && (
            <Text size="xs" c="dimmed">
              {t('inventory.genealogy.workOrder')} {lot.workOrderNumber}
            </Text>
          )}
          {(lot.supplier || lot.supplierLot) && (
            <Text size="xs" c="dimmed">
              {t('inventory.genealogy.supplier')} {[lot.supplier?.name, lot.supplierLot].filter(Boolean).join(' · ')}
            </Text>
          )}
          {childCount > 0 && !open && (
            <Text size="xs" c="dimmed">
              {t('inventory.genealogy.children', { count: childCount, formatted: fmt.format(childCount) })}
            </Text>
          )}
        </Group>
      </Card>
      {children}
    </Box>
  );
}

/** Opens or closes the lots reached through a lot; absent where none are. */
function Toggle({ number, childCount, open, onToggle }: { number: string; childCount: number; open: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  if (childCount === 0) return null;
  return (
    <ActionIcon
      variant="subtle"
      size="sm"
      onClick={onToggle}
      aria-expanded={open}
      aria-label={t(open ? 'inventory.genealogy.collapse' : 'inventory.genealogy.expand', { count: childCount, number })}
    >
      {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
    </ActionIcon>
  );
}

/** A lot's box, its left edge in the lot's status colour (the colour of its badge everywhere). */
function Card({ status, testId, children }: { status: LotStatus; testId: string; children: React.ReactNode }) {
  return (
    <Box
      data-testid={testId}
      px="sm"
      py={6}
      style={{
        display: 'inline-block',
        border: '1px solid var(--mantine-color-default-border)',
        borderLeft: `4px solid var(--mantine-color-${STATUS_COLORS[status]}-filled)`,
        borderRadius: 'var(--mantine-radius-sm)',
      }}
    >
      {children}
    </Box>
  );
}
