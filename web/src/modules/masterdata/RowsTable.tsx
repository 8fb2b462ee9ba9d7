import { Table, Text } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface RowsColumn<T> {
  /** Catalog key of the header; none for the column of a row's buttons. */
  labelKey?: string;
  cell: (row: T) => ReactNode;
  align?: 'right';
  style?: CSSProperties | ((row: T) => CSSProperties);
}

/**
 * The rows a record shows in full (its BOM lines, revisions, approved suppliers, ship-to
 * addresses…), where DataTable pages a list from the server; `empty` says that there are none.
 */
export function RowsTable<T>(props: {
  rows: T[];
  rowKey: (row: T) => string;
  columns: Array<RowsColumn<T> | false>;
  /** Shown instead of the table when there are no rows. */
  empty?: string;
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (props.rows.length === 0 && props.empty) return <Text c="dimmed">{props.empty}</Text>;
  const columns = props.columns.filter((c): c is RowsColumn<T> => c !== false);
  const table = (
    <Table withTableBorder striped data-testid={props.testId}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th key={c.labelKey ?? 'actions'} ta={c.align}>
              {c.labelKey && t(c.labelKey)}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.rows.map((row) => (
          <Table.Tr key={props.rowKey(row)}>
            {columns.map((c) => (
              <Table.Td key={c.labelKey ?? 'actions'} ta={c.align} style={typeof c.style === 'function' ? c.style(row) : c.style}>
                {c.cell(row)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  return props.minWidth ? <Table.ScrollContainer minWidth={props.minWidth}>{table}</Table.ScrollContainer> : table;
}
