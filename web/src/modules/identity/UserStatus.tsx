import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { User } from './types';

export function UserStatus({ user }: { user: Pick<User, 'active' | 'lockedUntil'> }) {
  const { t } = useTranslation();
  if (!user.active) return <Badge color="gray">{t('users.status.deactivated')}</Badge>;
  if (user.lockedUntil && new Date(user.lockedUntil) > new Date()) return <Badge color="red">{t('users.status.locked')}</Badge>;
  return <Badge color="green">{t('users.status.active')}</Badge>;
}
