import { Loader, Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get, type Page, type Query } from '../api/client';

export interface RecordSelectProps<T> extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> {
  /** List endpoint answering `{items}` to `?q=&limit=` and the page's own filters. */
  path: string;
  filters?: Query;
  value: string | null;
  onChange: (id: string | null, record: T | null) => void;
  /** What a person reads in the list: code and name, number and item… */
  label: string;
  option: (record: T) => string;
  recordId?: (record: T) => string;
  /** Whether the endpoint filters by `q`; otherwise the loaded page is filtered in the browser. */
  serverSearch?: boolean;
}

/**
 * A searchable choice of one record from a list endpoint (items, suppliers, locations, lots…):
 * types ahead against the server's `q`, keeps the chosen record's label while the list changes.
 */
export function RecordSelect<T>({ path, filters, value, onChange, option, recordId, serverSearch = true, ...rest }: RecordSelectProps<T>) {
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
  const known = chosen && idOf(chosen) === value && !records.some((r) => idOf(r) === value) ? [chosen, ...records] : records;
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
