import { Alert, Button, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconHierarchy } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDate, formatDecimal } from '../../components/format';
import { problemMessage } from '../../i18n';
import { ComponentCell, scrapText } from './BomSection';
import { RevisionLink, today } from './common';
import { RowsTable } from './RowsTable';
import type { Explosion, Item, ItemRevision } from './types';

const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * The multi-level explosion of this revision for a quantity on a day: below the top each
 * sub-assembly explodes by its revision in force that day; gross quantities include scrap.
 */
export function ExplosionSection({ revision, item }: { revision: ItemRevision; item: Item }) {
  const { t } = useTranslation();
  const [quantity, setQuantity] = useState('1');
  const [onDate, setOnDate] = useState(today());
  const [asked, setAsked] = useState<{ quantity: string; onDate: string } | null>(null);
  const explosion = useQuery({
    queryKey: ['item-revision', revision.id, 'explosion', asked],
    queryFn: () => get<Explosion>(`/item-revisions/${revision.id}/explosion`, asked!),
    enabled: asked !== null,
  });
  const valid = DECIMAL.test(quantity) && /^\d{4}-\d{2}-\d{2}$/.test(onDate);

  return (
    <Stack gap="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) setAsked({ quantity, onDate });
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t('masterdata.explosion.quantity', { unit: item.baseUnit })}
            inputMode="decimal"
            value={quantity}
            error={quantity && !DECIMAL.test(quantity) ? t('form.pattern') : undefined}
            onChange={(e) => setQuantity(e.currentTarget.value.trim())}
            w={180}
          />
          <TextInput
            type="date"
            label={t('masterdata.explosion.onDate')}
            value={onDate}
            onChange={(e) => setOnDate(e.currentTarget.value)}
            w={180}
          />
          <Button type="submit" variant="light" leftSection={<IconHierarchy size={16} />} disabled={!valid}>
            {t('masterdata.explosion.run')}
          </Button>
        </Group>
      </form>
      <Text size="sm" c="dimmed">
        {t('masterdata.explosion.help')}
      </Text>
      {explosion.isFetching && <Loader size="sm" aria-label={t('common.loading')} />}
      {explosion.isError && <Alert color="red">{problemMessage(explosion.error)}</Alert>}
      {explosion.data && <ExplosionTables explosion={explosion.data} item={item} />}
    </Stack>
  );
}

function ExplosionTables({ explosion, item }: { explosion: Explosion; item: Item }) {
  const { t } = useTranslation();
  if (explosion.lines.length === 0)
    return <Text c="dimmed">{t('masterdata.explosion.empty', { date: formatDate(explosion.onDate) })}</Text>;
  return (
    <Stack gap="lg">
      <Text fw={500}>
        {t('masterdata.explosion.for', {
          quantity: formatDecimal(explosion.quantity, item.baseUnit),
          code: item.code,
          date: formatDate(explosion.onDate),
        })}
      </Text>
      <RowsTable
        rows={explosion.lines}
        rowKey={(l) => l.path}
        columns={[
          {
            labelKey: 'masterdata.explosion.position',
            cell: (l) => (
              <Text size="sm" ff="monospace">
                {l.path}
              </Text>
            ),
          },
          {
            labelKey: 'masterdata.bom.component',
            cell: (l) => <ComponentCell line={l} />,
            // Each level one step further in, so the structure reads as a tree.
            style: (l) => ({ paddingLeft: `calc(var(--mantine-spacing-sm) + ${(l.level - 1) * 20}px)` }),
          },
          {
            labelKey: 'masterdata.explosion.revisionInForce',
            cell: (l) =>
              l.componentRevisionId && l.componentRevision ? (
                <RevisionLink id={l.componentRevisionId} revision={l.componentRevision} />
              ) : (
                <Text size="sm" c="dimmed">
                  {t('masterdata.explosion.noRevision')}
                </Text>
              ),
          },
          { labelKey: 'masterdata.bom.quantityPer', cell: (l) => formatDecimal(l.quantityPer, l.unit) },
          { labelKey: 'masterdata.bom.scrap', cell: (l) => scrapText(l.scrapFactor) },
          { labelKey: 'masterdata.bom.designator', cell: (l) => l.referenceDesignator ?? '—' },
          { labelKey: 'masterdata.explosion.gross', cell: (l) => formatDecimal(l.quantity, l.baseUnit), align: 'right' },
        ]}
        empty={t('masterdata.explosion.empty', { date: formatDate(explosion.onDate) })}
        minWidth={700}
        testId="explosion"
      />
      <Stack gap="xs">
        <Text fw={600}>{t('masterdata.explosion.totals')}</Text>
        <Table withTableBorder maw={560} data-testid="explosion-totals">
          <Table.Tbody>
            {explosion.totals.map((total) => (
              <Table.Tr key={total.componentItemId}>
                <Table.Td>
                  <AnchorLink to="/items/$itemId" params={{ itemId: total.componentItemId }}>
                    {total.componentCode}
                  </AnchorLink>
                </Table.Td>
                <Table.Td ta="right">{formatDecimal(total.quantity, total.baseUnit)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Stack>
  );
}
