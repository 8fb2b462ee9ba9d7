import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../i18n';
import { Manifestation } from './Manifestation';
import { meaningKey, type Signature, type SignatureInput } from './signatures';

export interface SignatureDialogProps {
  opened: boolean;
  onClose: () => void;
  /** The signature meaning the action requires (approved, released…). */
  meaning: string;
  /** The record as a person recognises it, e.g. "SOP-0001 rev B — Cleaning of line 2". */
  recordLabel: string;
  /** Whether the signer has TOTP enrolled, so the second component is asked for. */
  totp: boolean;
  /** Whether this step records a reason, so the comment is mandatory. */
  commentRequired?: boolean;
  /** What the signer should know about this step before signing (the rule it applies), below the record. */
  description?: ReactNode;
  /** Performs the signed action; resolves with the signature made. */
  sign: (input: SignatureInput) => Promise<Signature>;
}

/**
 * What a signer reads and enters wherever a signature is given (Part 11 §11.50, §11.200): the
 * meaning of the signature and the statement of intent, then the password and, when enrolled,
 * the authenticator code. Forms that sign in the same request as their own fields (a counted
 * difference) use it as it is; SignatureDialog wraps it for a signed step of its own.
 */
export function SignatureFields(props: {
  /** The signature meaning (approved, verified…). */
  meaning: string;
  totp: boolean;
  password: string;
  onPasswordChange: (password: string) => void;
  totpCode: string;
  onTotpCodeChange: (code: string) => void;
  errors?: { password?: string | undefined; totpCode?: string | undefined };
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const meaning = t(meaningKey(props.meaning), { defaultValue: props.meaning });
  return (
    <>
      <Stack gap={2}>
        <Text size="sm" c="dimmed">
          {t('signature.meaningLabel')}
        </Text>
        <Text fw={600} data-testid="signature-meaning">
          {meaning}
        </Text>
      </Stack>
      <Text size="sm">{t('signature.statement', { meaning })}</Text>
      <PasswordInput
        label={t('auth.password')}
        autoComplete="current-password"
        required
        data-autofocus={props.autoFocus || undefined}
        value={props.password}
        error={props.errors?.password}
        onChange={(e) => props.onPasswordChange(e.currentTarget.value)}
      />
      {props.totp && (
        <TextInput
          label={t('auth.totpCode')}
          description={t('signature.totpHelp')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={props.totpCode}
          error={props.errors?.totpCode}
          onChange={(e) => props.onTotpCodeChange(e.currentTarget.value.replace(/\D/g, ''))}
        />
      )}
    </>
  );
}

/**
 * The e-signature dialog (Part 11 §11.50, §11.200): states what is signed and what the signature
 * means, re-authenticates with password (and TOTP), takes a comment, then shows the manifestation.
 */
export function SignatureDialog(props: SignatureDialogProps) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [comment, setComment] = useState('');
  const signing = useMutation({
    mutationFn: props.sign,
    meta: { handlesErrors: true },
    onError: () => setPassword(''),
  });
  const close = () => {
    setPassword('');
    setTotpCode('');
    setComment('');
    signing.reset();
    props.onClose();
  };

  return (
    <Modal opened={props.opened} onClose={close} title={t('signature.title')} centered size="lg">
      {signing.data ? (
        <Stack>
          <Alert color="green">{t('signature.done')}</Alert>
          <Manifestation signature={signing.data} />
          <Group justify="flex-end">
            <Button onClick={close} data-autofocus>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            signing.mutate({
              password,
              ...(props.totp && totpCode ? { totpCode } : {}),
              ...(comment.trim() ? { comment: comment.trim() } : {}),
            });
          }}
        >
          <Stack>
            <Stack gap={2}>
              <Text size="sm" c="dimmed">
                {t('signature.record')}
              </Text>
              <Text fw={600}>{props.recordLabel}</Text>
            </Stack>
            {props.description && (
              <Text size="sm" data-testid="signature-description">
                {props.description}
              </Text>
            )}
            {signing.error && (
              <Alert color="red" role="alert">
                {problemMessage(signing.error)}
              </Alert>
            )}
            <SignatureFields
              meaning={props.meaning}
              totp={props.totp}
              password={password}
              onPasswordChange={setPassword}
              totpCode={totpCode}
              onTotpCodeChange={setTotpCode}
              autoFocus
            />
            <Textarea
              label={t('signature.comment')}
              required={props.commentRequired}
              autosize
              minRows={2}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={signing.isPending} disabled={!password || (props.commentRequired && !comment.trim())}>
                {t('signature.sign')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
