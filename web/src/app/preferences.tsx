import { ActionIcon, Button, Menu, Select, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { IconLanguage, IconMoon, IconSun } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentSiteId, patch, setSiteId } from '../api/client';
import type { Me } from '../auth/session';
import { notifyError } from '../components/notify';
import { applyLanguage, LANGUAGES, type Language } from '../i18n';

/** Switches the interface language; for a signed-in person it is saved as their preference. */
export function LanguageMenu() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const choose = (code: Language) => {
    applyLanguage(code);
    if (!queryClient.getQueryData<Me>(['me'])) return;
    patch('/auth/me', { language: code }).then(
      () => queryClient.setQueryData<Me>(['me'], (me) => (me ? { ...me, language: code } : me)),
      notifyError,
    );
  };
  const current = LANGUAGES.find((l) => l.code === i18n.language) ?? LANGUAGES[0];
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="subtle" size="compact-sm" leftSection={<IconLanguage size={16} />} aria-label={t('prefs.language')}>
          {current.label}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {LANGUAGES.map((l) => (
          <Menu.Item key={l.code} onClick={() => choose(l.code)} lang={l.code} aria-current={l.code === current.code}>
            {l.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

export function ColorSchemeToggle() {
  const { t } = useTranslation();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const label = scheme === 'dark' ? t('prefs.lightMode') : t('prefs.darkMode');
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" size="lg" aria-label={label} onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}>
        {scheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}

/** The site (plant) the person works at; every request carries it as `x-site-id`. */
export function SiteSwitcher({ me }: { me: Me }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [site, setSite] = useState(currentSiteId());
  if (me.sites.length === 0) return null;
  return (
    <Select
      aria-label={t('prefs.site')}
      size="xs"
      w={180}
      allowDeselect={false}
      data={me.sites.map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))}
      value={site}
      onChange={(id) => {
        setSiteId(id);
        setSite(id);
        // Everything on screen may differ per site: fetch it again.
        void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      }}
    />
  );
}
