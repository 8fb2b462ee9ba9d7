import { Alert, Badge, Box, Button, Group, Loader, type MantineSize, Select, type SelectProps, Stack, Title } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currentSiteId, get } from '../../api/client';
import { AnchorLink } from '../../components/AnchorLink';
import type { Column } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import i18n, { problemMessage } from '../../i18n';
import { REVISION_COLORS, type Site, type Unit } from './types';

/** Building blocks the master data screens share. */

export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={active ? 'green' : 'gray'} miw="max-content">
      {active ? t('masterdata.active') : t('masterdata.inactive')}
    </Badge>
  );
}

/** A revision by its letter ("rev B"), linking to it. */
export function RevisionLink({ id, revision }: { id: string; revision: string }) {
  const { t } = useTranslation();
  return (
    <AnchorLink to="/item-revisions/$revisionId" params={{ revisionId: id }} style={{ whiteSpace: 'nowrap' }}>
      {t('masterdata.revisions.rev', { revision })}
    </AnchorLink>
  );
}

export function RevisionStatus({ status }: { status: string }) {
  return <StatusTag prefix="masterdata.revisionStatuses" value={status} colors={REVISION_COLORS} />;
}

/** The list column of whether a record is active. */
export function activeColumn<R extends { active: boolean }>(): Column<R> {
  return {
    key: 'active',
    labelKey: 'masterdata.status',
    render: (r) => <ActiveBadge active={r.active} />,
    text: (r) => i18n.t(r.active ? 'masterdata.active' : 'masterdata.inactive'),
  };
}

/** A read that has no answer yet: a loader while it runs, the problem when it failed. */
export function QueryStatus({ query, size }: { query: UseQueryResult; size?: MantineSize }) {
  const { t } = useTranslation();
  if (query.isError) return <Alert color="red">{problemMessage(query.error)}</Alert>;
  return <Loader size={size} aria-label={t('common.loading')} />;
}

/** The button that opens the form changing a record. */
export function EditButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button variant="default" leftSection={<IconPencil size={16} />} onClick={onClick}>
      {t('masterdata.edit')}
    </Button>
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

/** A list's filter by site; empty lists every site. */
export function SiteFilter({ value, onChange }: { value: string | null; onChange: (siteId: string | null) => void }) {
  const { t } = useTranslation();
  return (
    <SiteSelect
      aria-label={t('masterdata.site')}
      placeholder={t('masterdata.allSites')}
      clearable
      value={value}
      onChange={onChange}
      w={190}
    />
  );
}

/** The list column of the site a record belongs to, by its code. */
export function siteColumn<R extends { siteId: string }>(sites: Site[] | undefined): Column<R> {
  return { key: 'siteId', labelKey: 'masterdata.site', text: (r) => siteCode(sites, r.siteId) };
}

export const UNITS = '/units';

function useUnits() {
  return useQuery({ queryKey: ['list', UNITS], queryFn: () => get<{ items: Unit[] }>(UNITS), staleTime: 60_000 });
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

/** A GTIN-14 as people read it on a label: the (01) element string. */
export const formatGtin = (gtin: string | null) => (gtin ? `(01) ${gtin}` : null);

/** Today as the server's `YYYY-MM-DD` in the browser's zone. */
export function today(): string {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}
