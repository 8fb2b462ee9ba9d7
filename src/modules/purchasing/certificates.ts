import { sha256Hex } from '../../platform/crypto.js';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Conflict, NotFound, ValidationFailed } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { getReceipt } from './receiving.js';

/** Largest certificate of analysis accepted; the HTTP upload limit uses the same number. */
export const MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024;

/** Certificates come as PDF or images of the signed paper. */
export const CERTIFICATE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff'] as const;

export interface Certificate {
  id: string;
  receiptId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
  uploadedBy: string;
}

const CERTIFICATE_COLUMNS = `id, receipt_id AS "receiptId", file_name AS "fileName", content_type AS "contentType",
  size_bytes AS "sizeBytes", sha256, uploaded_at AS "uploadedAt", uploaded_by AS "uploadedBy"`;

/** Attaches a certificate of analysis to a receipt, recording the SHA-256 of its content. */
export async function attachCertificate(
  tx: Tx,
  ctx: TenantContext,
  receiptId: string,
  file: { fileName: string; contentType: string; content: Buffer },
): Promise<Certificate> {
  await getReceipt(tx, receiptId);
  const problems = [
    ...(file.content.length === 0 ? [{ pointer: '/body/file', message: 'is empty' }] : []),
    ...(file.content.length > MAX_CERTIFICATE_BYTES
      ? [{ pointer: '/body/file', message: `is larger than ${MAX_CERTIFICATE_BYTES} bytes` }]
      : []),
    ...((CERTIFICATE_TYPES as readonly string[]).includes(file.contentType)
      ? []
      : [{ pointer: '/body/file', message: `must be one of ${CERTIFICATE_TYPES.join(', ')}` }]),
  ];
  if (problems.length) {
    throw new ValidationFailed(`the certificate file ${problems.map((p) => p.message).join('; ')}`, problems, {
      code: 'error.purchasing.certificate.invalid',
    });
  }
  const id = uuidv7();
  const fileName = file.fileName.slice(0, 255) || 'certificate';
  await tx.query(sql`INSERT INTO receipt_certificates (id, receipt_id, file_name, content_type, size_bytes, sha256, uploaded_by)
    VALUES (${id}, ${receiptId}, ${fileName}, ${file.contentType}, ${file.content.length}, ${sha256Hex(file.content)}, ${ctx.actor.name})`);
  await tx.query(sql`INSERT INTO receipt_certificate_contents (certificate_id, content) VALUES (${id}, ${file.content})`);
  return getCertificate(tx, receiptId, id);
}

export async function getCertificate(tx: Tx, receiptId: string, id: string): Promise<Certificate> {
  const { rows } = await tx.query<Certificate>(
    sql`SELECT ${raw(CERTIFICATE_COLUMNS)} FROM receipt_certificates WHERE id = ${id} AND receipt_id = ${receiptId}`,
  );
  if (!rows[0])
    throw new NotFound(`certificate ${id} not found on receipt ${receiptId}`, { code: 'error.purchasing.certificate.notFound' });
  return rows[0];
}

export async function listCertificates(tx: Tx, receiptId: string): Promise<Certificate[]> {
  const { rows } = await tx.query<Certificate>(
    sql`SELECT ${raw(CERTIFICATE_COLUMNS)} FROM receipt_certificates WHERE receipt_id = ${receiptId} ORDER BY id`,
  );
  return rows;
}

/**
 * The certificate's bytes, checked against the hash recorded at upload: a file altered in
 * storage is refused, never served as the record (Part 11 §11.10(a)).
 */
export async function readCertificate(tx: Tx, receiptId: string, id: string): Promise<{ certificate: Certificate; content: Buffer }> {
  const certificate = await getCertificate(tx, receiptId, id);
  const { rows } = await tx.query<{ content: Uint8Array }>(
    sql`SELECT content FROM receipt_certificate_contents WHERE certificate_id = ${id}`,
  );
  const content = Buffer.from(rows[0]?.content ?? new Uint8Array());
  if (sha256Hex(content) !== certificate.sha256) {
    throw new Conflict(`certificate ${certificate.fileName} does not match the SHA-256 recorded at upload; it has been altered`, {
      code: 'error.purchasing.certificate.altered',
      params: { fileName: certificate.fileName },
    });
  }
  return { certificate, content };
}
