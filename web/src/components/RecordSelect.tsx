import { Loader, Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get, type Page, type Query } from '../api/client';

export type RecordSelectProps<T> = Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange' | 'label'> & {
  /** List endpoint answering `{items}` to `?q=&limit=` and the page's own filters. */
  path: string;
  filters?: Query;
  value: string | null;
  onChange: (id: string | null, record: T | null) => void;
  /** What a person reads in the list: code and name, number and item… */
  option: (record: T) => string;
  recordId?: (record: T) => string;
  /** Whether the endpoint filters by `q`; otherwise the loaded page is filtered in the browser. */
  serverSearch?: boolean;
  /** The chosen record when it is known before the list brings it (a line's item read with its order), so it shows at once. */
  selected?: T | null;
} & (
    | { label: string }
    /** A filter in a list's toolbar goes without a visible label, never without a name. */
    | { label?: undefined; 'aria-label': string }
  );

/**
 * A searchable choice of one record from a list endpoint (items, suppliers, locations, lots…):
 * types ahead against the server's `q`, keeps the chosen record's label while the list changes.
 */
export function RecordSelect<T>({
  path,
  filters,
  value,
  onChange,
  option,
  recordId,
  serverSearch = true,
  selected,
  ...rest
}: RecordSelectProps<T>) {
  const idOf = recordId ?? ((r: T) => (r as { id: string }).id);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [chosen, setChosen] = useState<T | null>(null);
  const list = useQuery({
    queryKey: ['list', path, { ...filters, q: serverSearch ? q : undefined }, 'select'],
    queryFn: ({ signal }) => get<Page<T>>(path, { ...filters, q: serverSearch ? q || undefined : undefined, limit: 50 }, signal),
    placeholderData: keepPreviousData,
  });
  const records = list.data?.items ?? [];
  const current = [chosen, selected].find((r): r is T => Boolean(r) && idOf(r as T) === value);
  const known = current && !records.some((r) => idOf(r) === value) ? [current, ...records] : records;
  return (
    <Select
      {...rest}
      searchable
      clearable={!rest.required}
      filter={serverSearch ? ({ options }) => options : undefined}
      searchValue={search}
      onSearchChange={setSearch}
      rightSection={list.isFetching ? <Loader size="xs" /> : undefined}
      data={known.map((r) => ({ value: idOf(r), label: option(r) }))}
      value={value}
      onChange={(id) => {
        const record = known.find((r) => idOf(r) === id) ?? null;
        setChosen(record);
        onChange(id, record);
      }}
    />
  );
}
