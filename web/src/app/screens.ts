import type { ComponentType, ReactNode } from 'react';
import type { Query } from '../api/client';

/**
 * What a module folder adds to the app besides its routes: its entries in the navigation and its
 * work queues on the dashboard (`screens.tsx` in the folder, listed in modules/index.ts), so the
 * shell and the dashboard do not grow by hand with each module.
 */

/** The navigation's groups, in the order people meet them. */
export const NAV_GROUPS = ['work', 'supply', 'quality', 'masterdata', 'admin', 'me'] as const;
export type NavGroupKey = (typeof NAV_GROUPS)[number];

export interface NavItem {
  to: string;
  labelKey: string;
  icon: ComponentType<{ size?: number }>;
  /** Shown only to people holding this permission (as the API checks it). */
  permission?: string;
}

export interface NavEntry extends NavItem {
  group: NavGroupKey;
}

/** One row of a work queue: a link to the record that waits, and a line about it. */
export interface QueueRow {
  id: string;
  link: ReactNode;
  detail: string;
  /** Past its date: shown in red. */
  late?: boolean;
}

/** A dashboard work queue: the first rows of a list the person may read, and a link to all of it. */
export interface Queue {
  key: string;
  titleKey: string;
  permission: string;
  path: string;
  query: Query;
  /** A link to the list page showing the whole queue, labelled `label`. */
  all: (label: string) => ReactNode;
  row: (record: never) => QueueRow;
}

export interface ModuleScreens {
  navigation: NavEntry[];
  queues?: Queue[];
}

/** Props of the record link that heads a queue row. */
export const queueLinkProps = { size: 'sm', fw: 500 } as const;

/** The date `days` from today (UTC), for queues of things due or expiring. */
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
