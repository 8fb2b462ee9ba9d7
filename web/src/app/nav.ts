import { IconHome } from '@tabler/icons-react';
import { SCREENS } from '../modules';
import { NAV_GROUPS, type NavItem } from './screens';

export type { NavItem } from './screens';

export interface NavGroup {
  labelKey: string;
  items: NavItem[];
}

/** Navigation by group, in the order people meet them: each screen folder declares its entries (screens.tsx). */
export const NAVIGATION: NavGroup[] = NAV_GROUPS.map((group) => ({
  labelKey: `nav.group.${group}`,
  items: [
    ...(group === 'work' ? [{ to: '/', labelKey: 'nav.dashboard', icon: IconHome }] : []),
    ...SCREENS.flatMap((s) => s.navigation.filter((e) => e.group === group)).map(({ group: _, ...item }) => item),
  ],
})).filter((g) => g.items.length);

/** Every screen folder's dashboard queues. */
export const QUEUES = SCREENS.flatMap((s) => s.queues ?? []);
