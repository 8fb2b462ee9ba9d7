import {
  Alert,
  Anchor,
  Button,
  Code,
  CopyButton,
  Group,
  Image,
  Loader,
  PasswordInput,
  PinInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post, setCsrfToken } from '../api/client';
import { useRequestSchema } from '../api/schemas';
import { useSchemaForm } from '../components/form';
import { problemMessage } from '../i18n';
import type { SessionState } from './session';

type Done = (next?: SessionState) => Promise<void>;

/** Every sign-in step answers with the session's next state and its (rotated) CSRF token. */
interface StateResult {
  state: SessionState;
  csrfToken: string;
}

function nextStep<T extends StateResult>(result: T): T {
  setCsrfToken(result.csrfToken);
  return result;
}

/** Six digits from the authenticator app (or a recovery code, which is longer). */
function CodeField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string | null }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text component="label" htmlFor="totp-code" size="sm" fw={500}>
        {t('auth.totpCode')}
      </Text>
      <PinInput
        id="totp-code"
        length={6}
        type="number"
        oneTimeCode
        autoFocus
        value={value}
        onChange={onChange}
        error={Boolean(error)}
        aria-label={t('auth.totpCode')}
      />
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

/** The second factor at sign-in: the app's code, or one of the recovery codes for a lost phone. */
export function TotpStep({ onDone }: { onDone: Done }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const verify = useMutation({
    mutationFn: async (c: string) => nextStep(await post<StateResult>('/auth/totp/verify', { code: c })),
    meta: { handlesErrors: true },
    onSuccess: (r) => onDone(r.state),
    onError: () => setCode(''),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        verify.mutate(code);
      }}
    >
      <Stack>
        <Title order={2} size="h3">
          {t('auth.totpTitle')}
        </Title>
        {recovery ? (
          <TextInput
            label={t('auth.recoveryCode')}
            autoComplete="off"
            autoFocus
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            error={verify.error ? problemMessage(verify.error) : undefined}
          />
        ) : (
          <>
            <Text size="sm">{t('auth.totpHelp')}</Text>
            <CodeField value={code} onChange={setCode} error={verify.error ? problemMessage(verify.error) : null} />
          </>
        )}
        <Button type="submit" loading={verify.isPending} disabled={recovery ? code.trim().length < 6 : code.length !== 6}>
          {t('auth.verify')}
        </Button>
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => {
            setRecovery(!recovery);
            setCode('');
            verify.reset();
          }}
        >
          {recovery ? t('auth.useAuthenticator') : t('auth.useRecoveryCode')}
        </Anchor>
      </Stack>
    </form>
  );
}

export function PasswordChangeStep({ onDone }: { onDone: Done }) {
  const { t } = useTranslation();
  const form = useSchemaForm(useRequestSchema('POST', '/auth/password'), { currentPassword: '', newPassword: '' });
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: async (body: typeof form.values) => nextStep(await post<StateResult>('/auth/password', body)),
    meta: { handlesErrors: true },
    onSuccess: (r) => onDone(r.state),
    onError: (err) => form.showProblem(err),
  });
  return (
    <form
      noValidate
      onSubmit={form.submit((body) => {
        setMismatch(body.newPassword !== repeat);
        if (body.newPassword === repeat) change.mutate(body);
      })}
    >
      <Stack>
        <Title order={2} size="h3">
          {t('auth.passwordChangeTitle')}
        </Title>
        <Text size="sm">{t('auth.passwordChangeHelp')}</Text>
        {change.error && !form.errors.currentPassword && !form.errors.newPassword && (
          <Alert color="red" role="alert">
            {problemMessage(change.error)}
          </Alert>
        )}
        <PasswordInput label={t('auth.currentPassword')} autoComplete="current-password" required {...form.field('currentPassword')} />
        <PasswordInput label={t('auth.newPassword')} autoComplete="new-password" required {...form.field('newPassword')} />
        <PasswordInput
          label={t('auth.repeatPassword')}
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          error={mismatch ? t('auth.passwordsDiffer') : undefined}
        />
        <Button type="submit" loading={change.isPending}>
          {t('auth.changePassword')}
        </Button>
      </Stack>
    </form>
  );
}

interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

/** Enrols an authenticator app: QR code (or the secret typed by hand), a first code, then the recovery codes once. */
export function TotpEnrolmentStep({ onDone }: { onDone: Done }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const enrol = useMutation({ mutationFn: () => post<Enrolment>('/auth/totp/enroll'), meta: { handlesErrors: true } });
  const confirm = useMutation({
    mutationFn: async (c: string) => nextStep(await post<StateResult & { recoveryCodes: string[] }>('/auth/totp/confirm', { code: c })),
    meta: { handlesErrors: true },
    onError: () => setCode(''),
  });
  const { mutate: start } = enrol;
  useEffect(() => start(), [start]);

  if (confirm.data) {
    return <RecoveryCodes codes={confirm.data.recoveryCodes} onContinue={() => onDone(confirm.data.state)} />;
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        confirm.mutate(code);
      }}
    >
      <Stack>
        <Title order={2} size="h3">
          {t('auth.enrolTitle')}
        </Title>
        <Text size="sm">{t('auth.enrolHelp')}</Text>
        {enrol.isPending && <Loader aria-label={t('common.loading')} />}
        {enrol.error && (
          <Alert color="red" role="alert">
            {problemMessage(enrol.error)}
          </Alert>
        )}
        {enrol.data && (
          <>
            {/* As an image, the server's SVG cannot run script in the page. */}
            <Image
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrol.data.qrSvg)}`}
              alt={t('auth.qrLabel')}
              w={200}
              h={200}
              mx="auto"
              bg="white"
              p={8}
              radius="md"
            />
            <Text size="sm">{t('auth.enrolManual')}</Text>
            <Group gap="xs" wrap="nowrap">
              <Code data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
                {enrol.data.secret}
              </Code>
              <CopyButton value={enrol.data.secret}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="light" onClick={copy}>
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <CodeField value={code} onChange={setCode} error={confirm.error ? problemMessage(confirm.error) : null} />
            <Button type="submit" loading={confirm.isPending} disabled={code.length !== 6}>
              {t('auth.confirmEnrolment')}
            </Button>
          </>
        )}
      </Stack>
    </form>
  );
}

/** Recovery codes are shown exactly once: copy or download them before leaving. */
export function RecoveryCodes({ codes, onContinue }: { codes: string[]; onContinue: () => void }) {
  const { t } = useTranslation();
  const text = `${codes.join('\n')}\n`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: 'mediforge-recovery-codes.txt' });
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('auth.recoveryTitle')}
      </Title>
      <Alert color="yellow">{t('auth.recoveryHelp')}</Alert>
      <SimpleGrid cols={2} spacing="xs" data-testid="recovery-codes">
        {codes.map((c) => (
          <Code key={c} ta="center">
            {c}
          </Code>
        ))}
      </SimpleGrid>
      <Group grow>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
        <Button variant="light" onClick={download}>
          {t('common.download')}
        </Button>
      </Group>
      <Button onClick={onContinue}>{t('auth.recoverySaved')}</Button>
    </Stack>
  );
}
