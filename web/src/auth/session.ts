import type { SessionState } from '@server/modules/identity/contract';
import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { currentSiteId, get, setCsrfToken, setSiteId } from '../api/client';
import { applyLanguage, isLanguage } from '../i18n';

export type { SessionState };

export interface Site {
  id: string;
  code: string;
  name: string;
  timeZone: string;
}

/** The signed-in person as `GET /auth/me` describes them. */
export interface Me {
  id: string;
  login: string;
  fullName: string;
  email: string | null;
  language: string | null;
  tenant: { id: string; code: string; name: string };
  sites: Site[];
  permissions: string[];
  totpEnrolled: boolean;
  /** A role of this person signs or administers: a second factor is mandatory. */
  totpRequired: boolean;
  state: SessionState;
  csrfToken: string;
  passwordExpiresAt: string | null;
}

export interface LoginResult {
  state: SessionState;
  csrfToken: string;
}

async function fetchMe(): Promise<Me> {
  const me = await get<Me>('/auth/me');
  setCsrfToken(me.csrfToken);
  if (isLanguage(me.language)) applyLanguage(me.language);
  const site = currentSiteId();
  if (!site || !me.sites.some((s) => s.id === site)) setSiteId(me.sites[0]?.id ?? null);
  return me;
}

export const meQuery = queryOptions({ queryKey: ['me'], queryFn: fetchMe, staleTime: 5 * 60_000, retry: false });

export function can(me: Pick<Me, 'permissions'>, permission: string | undefined): boolean {
  return !permission || me.permissions.includes(permission);
}

export const LAST_TENANT = 'mf.tenant';

/** The signed-in person (with their permissions), for screens that show or hide actions. */
export const useMe = () => useSuspenseQuery(meQuery).data;
