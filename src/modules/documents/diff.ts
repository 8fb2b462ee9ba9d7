import { diffWordsWithSpace } from 'diff';
import type { Tx } from '../../platform/db/index.js';
import { Conflict } from '../../platform/errors.js';
import type { DocumentStatus } from './contract.js';
import { listFiles } from './files.js';
import { getDocument } from './service.js';

export interface TextChange {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface FileChange {
  fileName: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  /** The SHA-256 in the older revision (null: not there). */
  fromSha256: string | null;
  /** The SHA-256 in the newer revision (null: not there). */
  toSha256: string | null;
}

export interface DocumentDiff {
  from: { id: string; revision: number; status: DocumentStatus };
  to: { id: string; revision: number; status: DocumentStatus };
  /** The title, if it changed. */
  title: TextChange[] | null;
  /** The plain-text rendering of the content, word by word (line breaks kept). */
  content: TextChange[];
  files: FileChange[];
  summary: { insertedWords: number; deletedWords: number; filesAdded: number; filesRemoved: number; filesChanged: number };
}

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

/** A word-level diff of two texts, as equal / insert / delete runs. */
export function diffText(before: string, after: string): TextChange[] {
  return diffWordsWithSpace(before, after).map((c) => ({
    op: c.added ? 'insert' : c.removed ? 'delete' : 'equal',
    text: c.value,
  }));
}

/**
 * What changed between two revisions of the same document, the older one first whichever way
 * they are asked for: the title and content word by word, the files by name and SHA-256.
 */
export async function diffRevisions(tx: Tx, id: string, otherId: string): Promise<DocumentDiff> {
  const [a, b] = await Promise.all([getDocument(tx, id), getDocument(tx, otherId)]);
  if (a.number !== b.number) {
    throw new Conflict(`${a.number} and ${b.number} are different documents; only revisions of one document are compared`, {
      code: 'error.documents.diffOtherDocument',
      params: { number: a.number, other: b.number },
    });
  }
  const [older, newer] = a.revision <= b.revision ? [a, b] : [b, a];
  const [olderFiles, newerFiles] = await Promise.all([listFiles(tx, older.id), listFiles(tx, newer.id)]);
  const names = [...new Set([...olderFiles, ...newerFiles].map((f) => f.fileName))].sort();
  const files = names.map((fileName): FileChange => {
    const before = olderFiles.find((f) => f.fileName === fileName)?.sha256 ?? null;
    const after = newerFiles.find((f) => f.fileName === fileName)?.sha256 ?? null;
    const change = before === null ? 'added' : after === null ? 'removed' : before === after ? 'unchanged' : 'changed';
    return { fileName, change, fromSha256: before, toSha256: after };
  });
  const content = diffText(older.body, newer.body);
  return {
    from: { id: older.id, revision: older.revision, status: older.status },
    to: { id: newer.id, revision: newer.revision, status: newer.status },
    title: older.title === newer.title ? null : diffText(older.title, newer.title),
    content,
    files,
    summary: {
      insertedWords: content.filter((c) => c.op === 'insert').reduce((n, c) => n + words(c.text), 0),
      deletedWords: content.filter((c) => c.op === 'delete').reduce((n, c) => n + words(c.text), 0),
      filesAdded: files.filter((f) => f.change === 'added').length,
      filesRemoved: files.filter((f) => f.change === 'removed').length,
      filesChanged: files.filter((f) => f.change === 'changed').length,
    },
  };
}
