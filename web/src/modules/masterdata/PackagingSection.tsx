import { ActionIcon, Button, Group, NumberInput, Table, Text, TextInput } from '@mantine/core';
import { type ItemPackaging, PACKAGING_LEVELS, type PackagingLevel, type PackagingLevelInput } from '@server/modules/masterdata/contract';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { formatGtin, Section, ValueSelect } from './common';

const packagingKey = (itemId: string) => ['masterdata', 'item', itemId, 'packaging'] as const;

/**
 * An item's packaging levels (GS1 packaging hierarchy): each level's GTIN is the UDI-DI printed on
 * labels of that level; the server checks check digits, uniqueness in the tenant and the hierarchy.
 */
export function PackagingSection({ itemId, writable }: { itemId: string; writable: boolean }) {
  const { t } = useTranslation();
  const packaging = useQuery({ queryKey: packagingKey(itemId), queryFn: () => get<ItemPackaging>(`/items/${itemId}/packaging-levels`) });
  const [editing, setEditing] = useState(false);
  const levels = packaging.data?.levels ?? [];
  return (
    <Section
      title={t('masterdata.packaging.title')}
      actions={
        writable &&
        packaging.data && (
          <Button size="xs" variant="light" onClick={() => setEditing(true)} data-testid="edit-packaging">
            {t('masterdata.edit')}
          </Button>
        )
      }
    >
      <Text size="sm" c="dimmed">
        {t('masterdata.packaging.hint')}
      </Text>
      {levels.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('masterdata.packaging.none')}
        </Text>
      ) : (
        <Table withTableBorder maw={720}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('masterdata.packaging.level')}</Table.Th>
              <Table.Th>{t('masterdata.packaging.gtin')}</Table.Th>
              <Table.Th>{t('masterdata.packaging.contains')}</Table.Th>
              <Table.Th>{t('masterdata.packaging.baseQuantity')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {levels.map((l) => (
              <Table.Tr key={l.level}>
                <Table.Td>{t(`masterdata.packagingLevels.${l.level}`)}</Table.Td>
                <Table.Td>{formatGtin(l.gtin)}</Table.Td>
                <Table.Td>{l.contains ? `${l.quantity} × ${t(`masterdata.packagingLevels.${l.contains}`)}` : ''}</Table.Td>
                <Table.Td>{l.baseQuantity}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && packaging.data && <PackagingModal packaging={packaging.data} onClose={() => setEditing(false)} />}
    </Section>
  );
}

function PackagingModal({ packaging, onClose }: { packaging: ItemPackaging; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [rows, setRows] = useState<PackagingLevelInput[]>(() =>
    packaging.levels.map(({ level, gtin, quantity, contains }) => ({ level, gtin, quantity, contains })),
  );
  const save = useMutation({
    mutationFn: () =>
      api<ItemPackaging>('PUT', `/items/${packaging.itemId}/packaging-levels`, { body: { levels: rows }, version: packaging.version }),
    onSuccess: () => {
      onClose();
      return client.invalidateQueries({ queryKey: ['masterdata'] });
    },
  });
  const change = (i: number, patch: Partial<PackagingLevelInput>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const unused = PACKAGING_LEVELS.filter((l) => !rows.some((r) => r.level === l));
  return (
    <FormModal
      title={t('masterdata.packaging.title')}
      size="xl"
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      save={{ error: save.error, isPending: save.isPending }}
      submitLabel={t('masterdata.packaging.save')}
      lead={<Text size="sm">{t('masterdata.packaging.hint')}</Text>}
    >
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('masterdata.packaging.level')}</Table.Th>
            <Table.Th>{t('masterdata.packaging.gtin')}</Table.Th>
            <Table.Th>{t('masterdata.packaging.contains')}</Table.Th>
            <Table.Th>{t('masterdata.packaging.quantity')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={r.level}>
              <Table.Td>
                <ValueSelect
                  aria-label={t('masterdata.packaging.level')}
                  values={[r.level, ...unused]}
                  prefix="masterdata.packagingLevels"
                  value={r.level}
                  onChange={(v) => v && change(i, { level: v as PackagingLevel })}
                  allowDeselect={false}
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  aria-label={t('masterdata.packaging.gtin')}
                  value={r.gtin}
                  inputMode="numeric"
                  maxLength={14}
                  onChange={(e) => change(i, { gtin: e.currentTarget.value.trim() })}
                />
              </Table.Td>
              <Table.Td>
                <ValueSelect
                  aria-label={t('masterdata.packaging.contains')}
                  values={rows.filter((o) => o.level !== r.level).map((o) => o.level)}
                  prefix="masterdata.packagingLevels"
                  value={r.contains}
                  clearable
                  onChange={(v) => change(i, { contains: (v as PackagingLevel | null) ?? null, ...(v ? {} : { quantity: 1 }) })}
                />
              </Table.Td>
              <Table.Td>
                <NumberInput
                  aria-label={t('masterdata.packaging.quantity')}
                  value={r.quantity}
                  min={1}
                  max={1000000}
                  allowDecimal={false}
                  disabled={r.contains === null}
                  onChange={(v) => change(i, { quantity: typeof v === 'number' ? v : 1 })}
                />
              </Table.Td>
              <Table.Td>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('masterdata.packaging.remove')}
                  onClick={() => setRows(rows.filter((_, j) => j !== i))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {unused.length > 0 && (
        <Group>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => setRows([...rows, { level: unused[0]!, gtin: '', quantity: 1, contains: null }])}
          >
            {t('masterdata.packaging.add')}
          </Button>
        </Group>
      )}
    </FormModal>
  );
}
