import { ActionIcon, Button, Checkbox, Group, Menu, Paper, Table, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useLocalStorage } from '@mantine/hooks';
import { IconArrowDown, IconArrowsSort, IconArrowUp, IconColumns, IconDownload, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page, type Query } from '../api/client';
import { exportCsv } from './csv';
import { formatValue } from './format';
import { notifyError, notifySuccess } from './notify';
import { nextSort, sortDirection } from './sorting';

export interface Column<T> {
  /** Field name; also the `sort` value the API accepts when `sortable`. */
  key: string;
  labelKey: string;
  render?: (row: T) => ReactNode;
  /** Plain text for CSV; defaults to the field's value. */
  text?: (row: T) => string;
  sortable?: boolean;
  /** Not shown until the person picks it in the column menu. */
  optional?: boolean;
}

export interface DataTableProps<T> {
  /** Remembers the chosen columns per table. */
  id: string;
  /** List endpoint answering `{items, nextCursor}` to `?limit=&cursor=&q=&sort=`. */
  path: string;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Filters the page owns (status, dates…), sent with every page and the CSV export. */
  filters?: Query;
  /** Controls for those filters, shown in the toolbar. */
  filterControls?: ReactNode;
  searchable?: boolean;
  pageSize?: number;
  /** The list's own order (`field`, or `-field` descending) until the person sorts by a column; a new one (another view) starts over. */
  defaultSort?: string;
  actions?: ReactNode;
  emptyKey?: string;
}

const cellText = <T,>(c: Column<T>, row: T): string => (c.text ? c.text(row) : formatValue((row as Record<string, unknown>)[c.key]));

/**
 * A server-side list: cursor pagination (next/previous), sorting by column, free-text and page
 * filters, a choice of columns, and CSV export of everything the current filter matches.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { t } = useTranslation();
  const { path, columns, pageSize = 25 } = props;
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  // The person's choice holds while the page's own order stays what it was when they chose.
  const [chosen, setChosen] = useState<{ sort: string | undefined; over: string | undefined } | null>(null);
  const sort = chosen && chosen.over === props.defaultSort ? chosen.sort : props.defaultSort;
  // Cursors of the pages before the current one; the last is the current page's cursor.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [hidden, setHidden] = useLocalStorage<string[]>({
    key: `mf.columns.${props.id}`,
    defaultValue: columns.filter((c) => c.optional).map((c) => c.key),
  });
  const filterKey = JSON.stringify([q, sort, props.filters]);
  const firstRender = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts from the first page
  useEffect(() => {
    if (firstRender.current) firstRender.current = false;
    else setCursors([null]);
  }, [filterKey]);

  const query: Query = { ...props.filters, q: q || undefined, sort };
  const cursor = cursors[cursors.length - 1] ?? null;
  const list = useQuery({
    queryKey: ['list', path, query, cursor, pageSize],
    queryFn: ({ signal }) => get<Page<T>>(path, { ...query, limit: pageSize, cursor }, signal),
    placeholderData: keepPreviousData,
  });

  const visible = columns.filter((c) => !hidden.includes(c.key));
  const toggleSort = (key: string) => setChosen({ sort: nextSort(sort, key, props.defaultSort), over: props.defaultSort });

  const [exported, setExported] = useState<number | null>(null);
  const abort = useRef<AbortController | null>(null);
  const runExport = async () => {
    abort.current = new AbortController();
    setExported(0);
    try {
      const rows = await exportCsv<T>({
        path,
        query,
        columns: visible.map((c) => ({ header: t(c.labelKey), value: (row) => cellText(c, row) })),
        fileName: `${props.id}-${new Date().toISOString().slice(0, 10)}.csv`,
        signal: abort.current.signal,
        onProgress: setExported,
      });
      notifySuccess(t('table.exported', { count: rows }));
    } catch (err) {
      if ((err as Error).name !== 'AbortError') notifyError(err);
    } finally {
      setExported(null);
      abort.current = null;
    }
  };

  const items = list.data?.items ?? [];
  return (
    <Paper withBorder radius="md">
      <Group p="sm" gap="sm" justify="space-between">
        <Group gap="sm">
          {props.searchable !== false && (
            <TextInput
              aria-label={t('table.search')}
              placeholder={t('table.search')}
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={240}
            />
          )}
          {props.filterControls}
        </Group>
        <Group gap="xs">
          {props.actions}
          <Menu closeOnItemClick={false} position="bottom-end">
            <Menu.Target>
              <Tooltip label={t('table.columns')}>
                <ActionIcon variant="default" size="lg" aria-label={t('table.columns')}>
                  <IconColumns size={18} />
                </ActionIcon>
              </Tooltip>
            </Menu.Target>
            <Menu.Dropdown>
              {columns.map((c) => (
                <Menu.Item key={c.key}>
                  <Checkbox
                    label={t(c.labelKey)}
                    checked={!hidden.includes(c.key)}
                    disabled={visible.length === 1 && !hidden.includes(c.key)}
                    onChange={(e) => setHidden(e.currentTarget.checked ? hidden.filter((k) => k !== c.key) : [...hidden, c.key])}
                  />
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          {exported === null ? (
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={runExport}>
              {t('table.exportCsv')}
            </Button>
          ) : (
            <Button variant="light" color="orange" onClick={() => abort.current?.abort()}>
              {t('table.exporting', { count: exported })}
            </Button>
          )}
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={600}>
        <Table striped highlightOnHover verticalSpacing="xs" aria-busy={list.isFetching}>
          <Table.Thead>
            <Table.Tr>
              {visible.map((c) => {
                const direction = c.sortable ? sortDirection(sort, c.key) : undefined;
                return (
                  <Table.Th key={c.key} aria-sort={direction} scope="col">
                    {c.sortable ? (
                      <UnstyledButton onClick={() => toggleSort(c.key)} className="mf-focusable" fw={700} fz="sm">
                        <Group gap={4} wrap="nowrap">
                          {t(c.labelKey)}
                          {direction === 'ascending' ? (
                            <IconArrowUp size={14} aria-hidden />
                          ) : direction === 'descending' ? (
                            <IconArrowDown size={14} aria-hidden />
                          ) : (
                            <IconArrowsSort size={14} opacity={0.4} aria-hidden />
                          )}
                        </Group>
                      </UnstyledButton>
                    ) : (
                      t(c.labelKey)
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((row) => (
              <Table.Tr key={props.rowKey(row)}>
                {visible.map((c) => (
                  <Table.Td key={c.key}>{c.render ? c.render(row) : cellText(c, row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
            {!list.isPending && items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={visible.length}>
                  <Text c="dimmed" ta="center" py="lg">
                    {list.isError ? t('table.loadFailed') : t(props.emptyKey ?? 'table.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group p="sm" justify="flex-end" gap="xs">
        <Text size="sm" c="dimmed" mr="auto">
          {t('table.page', { page: cursors.length })}
        </Text>
        <Button variant="default" size="xs" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('table.previous')}
        </Button>
        <Button
          variant="default"
          size="xs"
          disabled={!list.data?.nextCursor}
          onClick={() => list.data?.nextCursor && setCursors([...cursors, list.data.nextCursor])}
        >
          {t('table.next')}
        </Button>
      </Group>
    </Paper>
  );
}
