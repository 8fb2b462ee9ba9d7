import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A record's fields as label → value rows (labels are translation keys); empty values show '—'. */
export function Details({ rows, labelWidth = 200 }: { rows: Array<[labelKey: string, value: ReactNode]>; labelWidth?: number }) {
  const { t } = useTranslation();
  return (
    <Table variant="vertical" withTableBorder>
      <Table.Tbody>
        {rows.map(([key, value]) => (
          <Table.Tr key={key}>
            <Table.Th w={labelWidth}>{t(key)}</Table.Th>
            <Table.Td>{value === null || value === undefined || value === '' ? '—' : value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
