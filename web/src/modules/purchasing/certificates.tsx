import { Alert, Button, Code, FileInput, Group, Stack, Table, Text } from '@mantine/core';
import { IconCertificate, IconDownload, IconUpload } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, currentSiteId, type Problem, upload } from '../../api/client';
import { formatDateTime } from '../../components/format';
import { notifyError } from '../../components/notify';
import { problemMessage } from '../../i18n';
import type { Certificate } from './types';

/** What the server accepts as a certificate of analysis (certificates.ts): PDF or an image of the paper. */
export const CERTIFICATE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff'];
export const MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024;

/** Why a chosen file would be refused, before it is sent; null when it may go. */
export function certificateProblem(file: File): 'type' | 'size' | 'empty' | null {
  if (!CERTIFICATE_TYPES.includes(file.type)) return 'type';
  if (file.size === 0) return 'empty';
  if (file.size > MAX_CERTIFICATE_BYTES) return 'size';
  return null;
}

/** SHA-256 of a file in the browser, to compare with what the server recorded; null outside a secure context. */
export async function sha256Of(file: File): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface Uploaded {
  certificate: Certificate;
  /** The hash the browser computed of the file it sent; null when it could not. */
  localSha256: string | null;
}

/** Sends a certificate of analysis for a receipt and checks the server recorded the file's own hash. */
export function useCertificateUpload(receiptId: string | null, onUploaded: (u: Uploaded) => void) {
  return useMutation({
    mutationFn: async (file: File): Promise<Uploaded> => {
      const [certificate, localSha256] = await Promise.all([
        upload<Certificate>(`/purchasing/receipts/${receiptId}/certificates`, file),
        sha256Of(file),
      ]);
      return { certificate, localSha256 };
    },
    meta: { handlesErrors: true },
    onSuccess: onUploaded,
  });
}

/** A file choice for a certificate with the server's limits told up front. */
export function CertificateInput(props: { value: File | null; onChange: (file: File | null) => void; size?: 'md' | 'lg'; label?: string }) {
  const { t } = useTranslation();
  const problem = props.value ? certificateProblem(props.value) : null;
  return (
    <FileInput
      size={props.size ?? 'md'}
      label={props.label ?? t('purchasing.certificates.file')}
      description={t('purchasing.certificates.fileHelp')}
      placeholder={t('purchasing.certificates.choose')}
      accept={CERTIFICATE_TYPES.join(',')}
      leftSection={<IconCertificate size={18} />}
      clearable
      value={props.value}
      onChange={props.onChange}
      error={problem ? t(`purchasing.certificates.refused.${problem}`) : undefined}
    />
  );
}

/** The hash the server recorded, and whether it is the hash of the file this browser sent. */
export function RecordedHash({ sha256, localSha256 }: { sha256: string; localSha256?: string | null }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" c="dimmed">
        {t('purchasing.certificates.sha256')}
      </Text>
      <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="certificate-sha256">
        {sha256}
      </Code>
      {localSha256 !== undefined && localSha256 !== null && (
        <Text size="sm" c={localSha256 === sha256 ? 'green' : 'red'} data-testid="certificate-hash-check">
          {localSha256 === sha256 ? t('purchasing.certificates.hashMatches') : t('purchasing.certificates.hashDiffers')}
        </Text>
      )}
    </Stack>
  );
}

/**
 * Downloads a certificate. The server recomputes its SHA-256 and refuses an altered file
 * (problem+json), so the response is read before anything is saved.
 */
async function downloadCertificate(certificate: Certificate): Promise<void> {
  const site = currentSiteId();
  const res = await fetch(`/api/v1/purchasing/receipts/${certificate.receiptId}/certificates/${certificate.id}`, {
    credentials: 'same-origin',
    headers: { accept: `${certificate.contentType}, application/problem+json`, ...(site ? { 'x-site-id': site } : {}) },
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as Problem;
    throw new ApiError({ ...problem, status: res.status });
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = certificate.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The certificates of a receipt: file, size, who uploaded it when, its recorded SHA-256, download. */
export function CertificateList({ certificates }: { certificates: Certificate[] }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  if (certificates.length === 0) return <Text c="dimmed">{t('purchasing.certificates.none')}</Text>;
  const download = async (c: Certificate) => {
    setBusy(c.id);
    try {
      await downloadCertificate(c);
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table withTableBorder verticalSpacing="xs" data-testid="certificates">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('purchasing.certificates.file')}</Table.Th>
            <Table.Th>{t('purchasing.certificates.uploaded')}</Table.Th>
            <Table.Th>{t('purchasing.certificates.sha256')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {certificates.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Text size="sm">{c.fileName}</Text>
                <Text size="xs" c="dimmed">
                  {c.contentType} · {formatBytes(c.sizeBytes)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{c.uploadedBy}</Text>
                <Text size="xs" c="dimmed">
                  {formatDateTime(c.uploadedAt)}
                </Text>
              </Table.Td>
              <Table.Td maw={260}>
                <Code style={{ wordBreak: 'break-all' }}>{c.sha256}</Code>
              </Table.Td>
              <Table.Td>
                <Button
                  variant="default"
                  size="xs"
                  leftSection={<IconDownload size={14} />}
                  loading={busy === c.id}
                  onClick={() => download(c)}
                >
                  {t('common.download')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Attach another certificate to a receipt that exists. */
export function AttachCertificate({ receiptId, onUploaded }: { receiptId: string; onUploaded: (u: Uploaded) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const send = useCertificateUpload(receiptId, (u) => {
    setFile(null);
    onUploaded(u);
  });
  return (
    <Stack gap="xs">
      {send.error && (
        <Alert color="red" role="alert">
          {problemMessage(send.error)}
        </Alert>
      )}
      <Group align="flex-end" gap="sm">
        <div style={{ flex: 1, minWidth: 240 }}>
          <CertificateInput value={file} onChange={setFile} />
        </div>
        <Button
          leftSection={<IconUpload size={16} />}
          disabled={!file || certificateProblem(file) !== null}
          loading={send.isPending}
          onClick={() => file && send.mutate(file)}
        >
          {t('purchasing.certificates.upload')}
        </Button>
      </Group>
    </Stack>
  );
}

const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
