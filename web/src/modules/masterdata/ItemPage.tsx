import { Badge, Button, Group, Loader, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconGitBranch, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { Details } from '../../components/Details';
import { formatDateTime, formatDecimal } from '../../components/format';
import { RecordPage } from '../../components/RecordPage';
import { ApprovedSuppliersOfItem } from './ApprovedSupplierList';
import { ActiveBadge, EditButton, formatGtin, QueryStatus, RevisionLink, RevisionStatus, Section } from './common';
import { ConversionModal, EditItemModal } from './ItemForms';
import { NextRevisionModal } from './NextRevisionModal';
import { PackagingSection } from './PackagingSection';
import { RowsTable } from './RowsTable';
import { ITEM, RecordLink, useRecord } from './records';
import type { Item, ItemRevision, WhereUsedRow } from './types';

/** One item: what it is, its unit conversions, its revisions, where it is used and who may supply it. */
export function ItemPage() {
  const { t } = useTranslation();
  const { itemId } = useParams({ from: '/app/items/$itemId' });
  const me = useMe();
  const item = useRecord<Item>(ITEM, itemId);
  const revisions = useQuery({
    queryKey: [ITEM.queryKey, itemId, 'revisions'],
    queryFn: () => get<{ items: ItemRevision[] }>(`/items/${itemId}/revisions`),
  });
  const [dialog, setDialog] = useState<'edit' | 'revision' | { conversion: string | null } | null>(null);

  if (!item.isSuccess) return <QueryStatus query={item} />;
  const i = item.data;
  const writable = can(me, P.masterdataWrite);
  const inWork = revisions.data?.items.find((r) => r.status === 'draft' || r.status === 'in_review');

  return (
    <>
      <RecordPage
        list={{ to: '/items', labelKey: 'nav.items' }}
        title={i.code}
        subtitle={i.name}
        status={
          <Group gap="xs">
            <Badge variant="outline" color="blue">
              {t(`masterdata.itemTypes.${i.type}`)}
            </Badge>
            <ActiveBadge active={i.active} />
          </Group>
        }
        record={{ entity: 'items', id: i.id }}
        actions={
          writable && (
            <>
              <EditButton onClick={() => setDialog('edit')} />
              <Tooltip
                label={
                  inWork ? t('masterdata.items.revisionInWork', { revision: inWork.revision }) : t('masterdata.items.nextRevisionHelp')
                }
                multiline
                w={280}
              >
                <Button
                  leftSection={<IconGitBranch size={16} />}
                  disabled={!revisions.data || Boolean(inWork)}
                  onClick={() => setDialog('revision')}
                >
                  {t('masterdata.items.nextRevision')}
                </Button>
              </Tooltip>
            </>
          )
        }
        details={
          <Stack gap="xl">
            <Details
              rows={[
                ['masterdata.items.code', i.code],
                ['masterdata.items.name', i.name],
                ['masterdata.items.type', t(`masterdata.itemTypes.${i.type}`)],
                ['masterdata.items.baseUnit', i.baseUnit],
                ['masterdata.items.tracking', t(`masterdata.tracking.${i.tracking}`)],
                ['masterdata.items.shelfLifeDays', i.shelfLifeDays ? t('masterdata.items.days', { count: i.shelfLifeDays }) : null],
                ['masterdata.items.gtin', formatGtin(i.gtin)],
                ['masterdata.status', <ActiveBadge key="a" active={i.active} />],
              ]}
            />
            <Section title={t('masterdata.items.revisions')}>
              <RevisionsTable revisions={revisions.data?.items} />
            </Section>
            <Section
              title={t('masterdata.items.conversions')}
              actions={
                writable && (
                  <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setDialog({ conversion: null })}>
                    {t('masterdata.items.addConversion')}
                  </Button>
                )
              }
            >
              {i.conversions.length === 0 ? (
                <Text c="dimmed" size="sm">
                  {t('masterdata.items.noConversions', { unit: i.baseUnit })}
                </Text>
              ) : (
                <Table withTableBorder maw={520}>
                  <Table.Tbody>
                    {i.conversions.map((c) => (
                      <Table.Tr key={c.unit}>
                        <Table.Td>
                          1 {c.unit} = {formatDecimal(c.factor, i.baseUnit)}
                        </Table.Td>
                        {writable && (
                          <Table.Td w={90}>
                            <Button size="compact-xs" variant="subtle" onClick={() => setDialog({ conversion: c.unit })}>
                              {t('masterdata.edit')}
                            </Button>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
            <PackagingSection itemId={i.id} writable={writable} />
          </Stack>
        }
        related={
          <Stack gap="xl">
            <WhereUsed itemId={i.id} />
            <ApprovedSuppliersOfItem itemId={i.id} />
          </Stack>
        }
      />
      {dialog === 'edit' && <EditItemModal item={i} onClose={() => setDialog(null)} />}
      {dialog === 'revision' && <NextRevisionModal item={i} onClose={() => setDialog(null)} />}
      {dialog && typeof dialog === 'object' && <ConversionModal item={i} unit={dialog.conversion} onClose={() => setDialog(null)} />}
    </>
  );
}

function RevisionsTable({ revisions }: { revisions: ItemRevision[] | undefined }) {
  if (!revisions) return <Loader size="sm" />;
  return (
    <RowsTable
      rows={revisions}
      rowKey={(r) => r.id}
      columns={[
        { labelKey: 'masterdata.revisions.revision', cell: (r) => <RevisionLink id={r.id} revision={r.revision} /> },
        { labelKey: 'masterdata.status', cell: (r) => <RevisionStatus status={r.status} /> },
        { labelKey: 'masterdata.revisions.description', cell: (r) => r.description || '—' },
        { labelKey: 'masterdata.revisions.releasedAt', cell: (r) => formatDateTime(r.releasedAt) },
        { labelKey: 'masterdata.revisions.releasedBy', cell: (r) => r.releasedBy ?? '—' },
        { labelKey: 'masterdata.revisions.obsoletedAt', cell: (r) => formatDateTime(r.obsoletedAt) },
      ]}
      minWidth={640}
    />
  );
}

/** Every revision using the item at any level: the first question of a change's impact analysis. */
function WhereUsed({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const used = useQuery({
    queryKey: [ITEM.queryKey, itemId, 'where-used'],
    queryFn: () => get<{ items: WhereUsedRow[] }>(`/items/${itemId}/where-used`),
  });
  return (
    <Section title={t('masterdata.whereUsed.title')}>
      <Text size="sm" c="dimmed">
        {t('masterdata.whereUsed.help')}
      </Text>
      {!used.isSuccess ? (
        <QueryStatus query={used} size="sm" />
      ) : (
        <RowsTable
          rows={used.data.items}
          rowKey={(u) => `${u.level}-${u.itemRevisionId}-${u.componentItemId}`}
          columns={[
            { labelKey: 'masterdata.whereUsed.level', cell: (u) => u.level },
            {
              labelKey: 'masterdata.whereUsed.usedIn',
              cell: (u) => <RecordLink kind={ITEM} id={u.itemId} code={u.itemCode} name={u.itemName} inline />,
            },
            { labelKey: 'masterdata.revisions.revision', cell: (u) => <RevisionLink id={u.itemRevisionId} revision={u.revision} /> },
            { labelKey: 'masterdata.status', cell: (u) => <RevisionStatus status={u.revisionStatus} /> },
            { labelKey: 'masterdata.bom.quantityPer', cell: (u) => formatDecimal(u.quantityPer, u.unit) },
          ]}
          empty={t('masterdata.whereUsed.none')}
          minWidth={640}
          testId="where-used"
        />
      )}
    </Section>
  );
}
