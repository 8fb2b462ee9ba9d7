import { sha256Hex } from '../../platform/crypto.js';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Conflict, NotFound, ValidationFailed } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { lockDraft } from './content.js';
import { type DocumentFileType, PREVIEWABLE_FILE_TYPES } from './contract.js';

/** Largest file accepted; the HTTP upload limit uses the same number. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface DocumentFile {
  id: string;
  documentId: string;
  fileName: string;
  mediaType: DocumentFileType;
  sizeBytes: number;
  sha256: string;
  /** Shown in the browser (PDF and images); the others are downloaded. */
  previewable: boolean;
  uploadedAt: string;
  uploadedBy: { id: string; name: string };
}

interface FileRow {
  id: string;
  document_id: string;
  file_name: string;
  media_type: DocumentFileType;
  size_bytes: number;
  sha256: string;
  uploaded_at: string;
  uploaded_by_id: string;
  uploaded_by_name: string;
}
const FILE_COLUMNS = 'id, document_id, file_name, media_type, size_bytes, sha256, uploaded_at, uploaded_by_id, uploaded_by_name';

const toFile = (r: FileRow): DocumentFile => ({
  id: r.id,
  documentId: r.document_id,
  fileName: r.file_name,
  mediaType: r.media_type,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  previewable: (PREVIEWABLE_FILE_TYPES as readonly string[]).includes(r.media_type),
  uploadedAt: r.uploaded_at,
  uploadedBy: { id: r.uploaded_by_id, name: r.uploaded_by_name },
});

const startsWith = (content: Buffer, signature: number[]): boolean =>
  content.length >= signature.length && signature.every((b, i) => content[i] === b);

const extension = (fileName: string): string => (/\.([a-z0-9]+)$/i.exec(fileName)?.[1] ?? '').toLowerCase();

const OOXML: Record<string, DocumentFileType> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};
const OLE: Record<string, DocumentFileType> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};
/** What an OOXML package holds under its own folder name, to tell a .docx from a zip renamed. */
const OOXML_PART: Record<string, string> = { docx: 'word/', xlsx: 'xl/', pptx: 'ppt/' };

/**
 * The media type of a file from its first bytes, never from what the client says: PDF, PNG and
 * JPEG by their signatures; Office files by their container (OOXML zip with its part folder, or
 * the legacy compound file) together with the name's extension. Anything else is undefined.
 */
export function sniffMediaType(content: Buffer, fileName: string): DocumentFileType | undefined {
  if (startsWith(content, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(content, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(content, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  const ext = extension(fileName);
  if (startsWith(content, [0x50, 0x4b, 0x03, 0x04]) && OOXML[ext]) {
    const head = content.subarray(0, Math.min(content.length, 64 * 1024)).toString('latin1');
    return head.includes('[Content_Types].xml') || head.includes(OOXML_PART[ext] as string) ? OOXML[ext] : undefined;
  }
  if (startsWith(content, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) && OLE[ext]) return OLE[ext];
  return undefined;
}

/** Claims a client may make without saying anything about the content. */
const VAGUE_CLAIMS = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export interface UploadedFile {
  fileName: string;
  /** The media type the client claimed; checked against the content, never stored. */
  claimedType: string;
  content: Buffer;
}

/**
 * Attaches a file to a draft revision with the SHA-256 of its content and the media type sniffed
 * from it. Refused with every problem at once: an empty or too large file, a name with control
 * characters or a path, a type outside the allow-list, a claimed type the content contradicts.
 */
export async function attachFile(tx: Tx, ctx: TenantContext, documentId: string, file: UploadedFile): Promise<DocumentFile> {
  await lockDraft(tx, documentId, 'files can be attached');
  const fileName = file.fileName.trim();
  const sniffed = sniffMediaType(file.content, fileName);
  const claimed = file.claimedType.split(';')[0]?.trim().toLowerCase() ?? '';
  const problems = [
    ...(file.content.length === 0 ? [{ pointer: '/body/file', message: 'is empty' }] : []),
    ...(file.content.length > MAX_FILE_BYTES ? [{ pointer: '/body/file', message: `is larger than ${MAX_FILE_BYTES} bytes` }] : []),
    ...(fileName.length === 0 || fileName.length > 255 ? [{ pointer: '/body/file/name', message: 'must be 1 to 255 characters' }] : []),
    ...(/[\p{Cc}/\\]/u.test(fileName)
      ? [{ pointer: '/body/file/name', message: 'must not contain control characters or path separators' }]
      : []),
    ...(file.content.length > 0 && !sniffed
      ? [{ pointer: '/body/file', message: `is not one of the accepted types (PDF, PNG, JPEG, Word, Excel, PowerPoint)` }]
      : []),
    ...(sniffed && !VAGUE_CLAIMS.has(claimed) && claimed !== sniffed
      ? [{ pointer: '/body/file/type', message: `is said to be ${claimed} but its content is ${sniffed}` }]
      : []),
  ];
  if (problems.length || !sniffed) {
    throw new ValidationFailed(`the file ${problems.map((p) => p.message).join('; ')}`, problems, {
      code: 'error.documents.file.invalid',
    });
  }
  const taken = await tx.query(sql`SELECT 1 FROM document_files WHERE document_id = ${documentId} AND file_name = ${fileName}`);
  if (taken.rows[0]) {
    throw new Conflict(`a file named ${fileName} is already attached; remove it first`, {
      code: 'error.documents.file.nameTaken',
      params: { fileName },
    });
  }
  const { rows } = await tx.query<FileRow>(
    sql`INSERT INTO document_files (id, document_id, file_name, media_type, size_bytes, sha256, content, uploaded_by_id, uploaded_by_name)
      VALUES (${uuidv7()}, ${documentId}, ${fileName}, ${sniffed}, ${file.content.length}, ${sha256Hex(file.content)}, ${file.content}, ${ctx.actor.id}, ${ctx.actor.name})
      RETURNING ${raw(FILE_COLUMNS)}`,
  );
  await touch(tx, ctx, documentId);
  return toFile(rows[0] as FileRow);
}

/** A change of files is a change of content: the revision's version moves and its editor is noted. */
const touch = (tx: Tx, ctx: TenantContext, documentId: string) =>
  tx.query(
    sql`UPDATE documents SET content_editor_id = ${ctx.actor.id}, content_editor_name = ${ctx.actor.name}, version = version + 1, updated_at = now()
      WHERE id = ${documentId}`,
  );

/** Removes a file from a draft revision. */
export async function removeFile(tx: Tx, ctx: TenantContext, documentId: string, fileId: string): Promise<void> {
  await lockDraft(tx, documentId, 'files can be removed');
  const file = await getFile(tx, documentId, fileId);
  await tx.query(sql`DELETE FROM document_files WHERE id = ${file.id}`);
  await touch(tx, ctx, documentId);
}

export async function getFile(tx: Tx, documentId: string, fileId: string): Promise<DocumentFile> {
  const { rows } = await tx.query<FileRow>(
    sql`SELECT ${raw(FILE_COLUMNS)} FROM document_files WHERE id = ${fileId} AND document_id = ${documentId}`,
  );
  if (!rows[0]) {
    throw new NotFound(`file ${fileId} not found on document ${documentId}`, {
      code: 'error.documents.file.notFound',
      params: { id: fileId },
    });
  }
  return toFile(rows[0]);
}

export async function listFiles(tx: Tx, documentId: string): Promise<DocumentFile[]> {
  const { rows } = await tx.query<FileRow>(
    sql`SELECT ${raw(FILE_COLUMNS)} FROM document_files WHERE document_id = ${documentId} ORDER BY file_name, id`,
  );
  return rows.map(toFile);
}

/**
 * A file's bytes, checked against the SHA-256 recorded at upload: a file altered in storage is
 * refused, never served as the record (Part 11 §11.10(a)).
 */
export async function readFile(tx: Tx, documentId: string, fileId: string): Promise<{ file: DocumentFile; content: Buffer }> {
  const file = await getFile(tx, documentId, fileId);
  const { rows } = await tx.query<{ content: Uint8Array }>(sql`SELECT content FROM document_files WHERE id = ${fileId}`);
  const content = Buffer.from(rows[0]?.content ?? new Uint8Array());
  if (sha256Hex(content) !== file.sha256 || content.length !== file.sizeBytes) {
    throw new Conflict(`file ${file.fileName} does not match the SHA-256 recorded at upload; it has been altered`, {
      code: 'error.documents.file.altered',
      params: { fileName: file.fileName },
    });
  }
  return { file, content };
}

/** Copies the files of one revision to another (a new revision starts with its predecessor's files). */
export async function copyFiles(tx: Tx, fromId: string, toId: string): Promise<void> {
  await tx.query(
    sql`INSERT INTO document_files (id, document_id, file_name, media_type, size_bytes, sha256, content, uploaded_at, uploaded_by_id, uploaded_by_name)
      SELECT mf_uuidv7(), ${toId}, file_name, media_type, size_bytes, sha256, content, uploaded_at, uploaded_by_id, uploaded_by_name
        FROM document_files WHERE document_id = ${fromId}`,
  );
}
