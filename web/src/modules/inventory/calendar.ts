import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { currentSiteId } from '../../api/client';
import { meQuery, type Site } from '../../auth/session';

/**
 * Calendar days as the stock screens reckon with them: in the site's time zone, as the server's
 * expiry rules count them.
 */

/**
 * The site the person works at now (the header's choice), with its time zone. Changing the site
 * refetches every query but 'me'; this one answers the new choice, so the screens follow it.
 */
export function useCurrentSite(): Site | undefined {
  const { data: me } = useSuspenseQuery(meQuery);
  const { data: id } = useQuery({
    queryKey: ['inventory', 'site'],
    queryFn: () => currentSiteId() ?? '',
    initialData: currentSiteId() ?? '',
  });
  return me.sites.find((s) => s.id === id) ?? me.sites[0];
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Within this many days an expiry is flagged as soon. */
export const EXPIRY_WARNING_DAYS = 30;

export type ExpiryState = 'expired' | 'soon' | 'ok';

/** Usable through its expiry date, expired from the day after (as the server decides). */
export function expiryState(expiresOn: string | null, today: string): ExpiryState | null {
  if (!expiresOn) return null;
  if (expiresOn < today) return 'expired';
  return daysBetween(today, expiresOn) <= EXPIRY_WARNING_DAYS ? 'soon' : 'ok';
}
