import { Alert, Anchor, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post, setCsrfToken } from '../api/client';
import { useRequestSchema } from '../api/schemas';
import { ColorSchemeToggle, LanguageMenu } from '../app/preferences';
import { useSchemaForm } from '../components/form';
import { problemMessage } from '../i18n';
import { LAST_TENANT, type LoginResult, meQuery, type SessionState } from './session';
import { PasswordChangeStep, TotpEnrolmentStep, TotpStep } from './steps';

/** Only paths of this app: a `redirect` pointing elsewhere is ignored. */
export function safeRedirect(target: string | undefined): string {
  return target?.startsWith('/') && !target.startsWith('//') && !target.startsWith('/login') ? target : '/';
}

/**
 * Sign-in: tenant, login and password, then whatever the account still needs before work —
 * a TOTP code, a new password, TOTP enrolment — and on to the page the person was going to.
 */
export function LoginPage() {
  const { t } = useTranslation();
  const search = useSearch({ from: '/login' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState | null>(search.step ?? null);

  const advance = async (next?: SessionState) => {
    const resolved = next ?? (await queryClient.fetchQuery({ ...meQuery, staleTime: 0 })).state;
    if (resolved !== 'active') {
      setState(resolved);
      return;
    }
    await queryClient.invalidateQueries({ queryKey: ['me'] });
    await navigate({ href: safeRedirect(search.redirect), replace: true });
  };

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-body)">
      <Stack w={420} maw="100%" gap="md">
        <Group justify="space-between">
          <Title order={1} size="h2">
            Mediforge
          </Title>
          <Group gap="xs">
            <LanguageMenu />
            <ColorSchemeToggle />
          </Group>
        </Group>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          {state === null && <CredentialsStep onDone={advance} expired={search.expired === true} />}
          {state === 'totp_required' && <TotpStep onDone={advance} />}
          {state === 'password_change_required' && <PasswordChangeStep onDone={advance} />}
          {state === 'totp_enrollment_required' && <TotpEnrolmentStep onDone={advance} />}
          {state !== null && (
            <Anchor component="button" type="button" size="sm" mt="md" onClick={() => setState(null)}>
              {t('auth.startOver')}
            </Anchor>
          )}
        </Paper>
      </Stack>
    </Center>
  );
}

function CredentialsStep({ onDone, expired }: { onDone: (state: SessionState) => Promise<void>; expired: boolean }) {
  const { t } = useTranslation();
  const form = useSchemaForm(useRequestSchema('POST', '/auth/login'), {
    tenant: localStorage.getItem(LAST_TENANT) ?? 'demo',
    login: '',
    password: '',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const login = form.submit(async (body) => {
    setBusy(true);
    setError(null);
    try {
      const result = await post<LoginResult>('/auth/login', body);
      setCsrfToken(result.csrfToken);
      localStorage.setItem(LAST_TENANT, body.tenant);
      await onDone(result.state);
    } catch (err) {
      if (!form.showProblem(err)) setError(problemMessage(err));
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={login} noValidate>
      <Stack>
        <Title order={2} size="h3">
          {t('auth.signIn')}
        </Title>
        {expired && (
          <Alert color="yellow" role="status">
            {t('auth.sessionExpired')}
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput label={t('auth.tenant')} autoComplete="organization" required {...form.field('tenant')} />
        <TextInput label={t('auth.login')} autoComplete="username" required data-autofocus autoFocus {...form.field('login')} />
        <PasswordInput label={t('auth.password')} autoComplete="current-password" required {...form.field('password')} />
        <Button type="submit" loading={busy}>
          {t('auth.signIn')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('auth.signInHint')}
        </Text>
      </Stack>
    </form>
  );
}
