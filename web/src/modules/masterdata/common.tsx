import { Alert, Badge, Box, Group, Select, type SelectProps, Stack, Title } from '@mantine/core';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentSiteId, get } from '../../api/client';
import { meQuery } from '../../auth/session';
import { StatusBadge } from '../../components/StatusBadge';
import { problemMessage } from '../../i18n';
import type { Site, Unit } from './types';

/** Building blocks the master data screens share. */

export const useMe = () => useSuspenseQuery(meQuery).data;

/** One Idempotency-Key per opened form: a retried or double-clicked create happens once. */
export const useCreateKey = () => useState(() => crypto.randomUUID())[0];

export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={active ? 'green' : 'gray'} miw="max-content">
      {active ? t('masterdata.active') : t('masterdata.inactive')}
    </Badge>
  );
}

/** A status badge that keeps its whole word in a narrow table column instead of an ellipsis. */
export function StatusTag(props: Parameters<typeof StatusBadge>[0]) {
  return (
    <Box miw="max-content" display="inline-block">
      <StatusBadge {...props} />
    </Box>
  );
}

/** `?active=` of a list: active, inactive, or all (null). */
export const activeFilter = (value: string | null): boolean | undefined => (value === null ? undefined : value === 'true');

export function ActiveSelect({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      aria-label={t('masterdata.activeFilter')}
      placeholder={t('masterdata.activeAll')}
      clearable
      data={[
        { value: 'true', label: t('masterdata.activeOnly') },
        { value: 'false', label: t('masterdata.inactiveOnly') },
      ]}
      value={value}
      onChange={onChange}
      w={150}
    />
  );
}

/** A choice from one of the server's value lists, labelled from the catalog list `prefix`. */
export function ValueSelect({ values, prefix, ...rest }: { values: readonly string[]; prefix: string } & Omit<SelectProps, 'data'>) {
  const { t } = useTranslation();
  return <Select data={values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }))} {...rest} />;
}

export function useSites() {
  return useQuery({ queryKey: ['sites'], queryFn: () => get<{ items: Site[] }>('/sites'), staleTime: 60_000 });
}

/** The site a person works at (the header's choice), as the default of per-site forms and filters. */
export const defaultSiteId = (): string | null => currentSiteId();

export function SiteSelect(props: Omit<SelectProps, 'data'>) {
  const sites = useSites();
  return <Select data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))} {...props} />;
}

export function siteCode(sites: Site[] | undefined, id: string): string {
  return sites?.find((s) => s.id === id)?.code ?? '…';
}

export function useUnits() {
  return useQuery({ queryKey: ['list', '/units'], queryFn: () => get<{ items: Unit[] }>('/units'), staleTime: 60_000 });
}

export function UnitSelect(props: Omit<SelectProps, 'data'> & { exclude?: string }) {
  const units = useUnits();
  const { exclude, ...rest } = props;
  return (
    <Select
      searchable
      data={(units.data?.items ?? [])
        .filter((u) => u.code !== exclude)
        .map((u) => ({ value: u.code, label: u.name === u.code ? u.code : `${u.code} · ${u.name}` }))}
      {...rest}
    />
  );
}

/** The problem of a refused request that is not about one field, above the form. */
export function FormProblem({ error, placed }: { error: unknown; placed: boolean }) {
  if (!error || placed) return null;
  return (
    <Alert color="red" role="alert">
      {problemMessage(error)}
    </Alert>
  );
}

/** A titled part of a record page, with its own actions. */
export function Section({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={2} size="h4">
          {title}
        </Title>
        {actions && <Group gap="xs">{actions}</Group>}
      </Group>
      {children}
    </Stack>
  );
}

/** ISO weekdays (1 = Monday … 7 = Sunday) by name in the reader's language. */
export function weekdayName(day: number, language: string, width: 'short' | 'long' = 'short'): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(language, { weekday: width, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, day)));
}

export const yesNo = (t: (key: string) => string, value: boolean) => (value ? t('common.yes') : t('common.no'));

/** A GTIN-14 as people read it on a label: the (01) element string. */
export const formatGtin = (gtin: string | null) => (gtin ? `(01) ${gtin}` : null);

/** Today as the server's `YYYY-MM-DD` in the browser's zone. */
export function today(): string {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** A fraction as the API sends it (`0.025`) as a percentage (`2.5`), by moving the decimal point: no float. */
export function fractionAsPercent(fraction: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(fraction);
  if (!m) return fraction;
  const [, sign, whole, decimals = ''] = m;
  const digits = `${whole}${decimals.padEnd(2, '0')}`;
  const point = whole!.length + 2;
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point).replace(/0+$/, '');
  return `${sign}${int}${rest ? `.${rest}` : ''}`;
}

/**
 * What a PATCH sends: the fields of the form's `after` that differ from the record `before`
 * (arrays by value). A `nullable` field the person emptied is absent from `after` and is cleared.
 */
export function changedFields<T extends Record<string, unknown>>(
  before: object,
  after: Partial<T>,
  nullable: readonly string[] = [],
): Partial<T> {
  const full: Record<string, unknown> = { ...Object.fromEntries(nullable.map((k) => [k, null])), ...after };
  return Object.fromEntries(
    Object.entries(full).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify((before as Record<string, unknown>)[k] ?? null)),
  ) as Partial<T>;
}
