import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeaderCaller, testApp } from '../../../test/app.js';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { createUser, type NewTestUser, signingCredentials, TestClock, type TestUser } from '../../../test/identity.js';
import { recordHistory, withChangeReason } from '../../platform/audit/index.js';
import { sha256Hex } from '../../platform/crypto.js';
import type { Database } from '../../platform/db/index.js';
import { siteToday, withTenant } from '../../platform/tenancy/index.js';
import { contentText, sanitizeContent } from './content.js';
import { MAX_FILE_BYTES, sniffMediaType } from './files.js';

/**
 * Document content: rich text edited in draft and sanitised, attached files with their SHA-256,
 * the diff between revisions and the periodic review. The author writes; QA approves, releases
 * and reviews; the reader may only read.
 */
const PEOPLE = {
  author: { login: 'hanmei', fullName: 'Han Mei', roles: ['QA Manager'] },
  approver: { login: 'guoqiang', fullName: 'Guo Qiang', roles: ['QA Manager'] },
  releaser: { login: 'luoyan', fullName: 'Luo Yan', roles: ['QA Manager'] },
  reader: { login: 'tianyu', fullName: 'Tian Yu', roles: ['Operator'] },
} satisfies Record<string, NewTestUser>;
type Who = keyof typeof PEOPLE;

let db: Database;
let t: TestTenant;
let app: FastifyInstance;
const clock = new TestClock();
const people = {} as Record<Who, TestUser>;

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  const callers: Record<string, HeaderCaller> = {};
  for (const [who, spec] of Object.entries(PEOPLE) as Array<[Who, NewTestUser]>) {
    const person = await createUser(db, t, spec);
    people[who] = person;
    callers[who] = {
      tenantId: t.tenant.id,
      siteId: t.site.id,
      actor: { kind: 'user', id: person.id, name: person.fullName },
      permissions:
        who === 'reader'
          ? ['documents:read']
          : ['documents:read', 'documents:write', 'documents:sign.reviewed', 'signatures:read', 'audit:read'],
    };
  }
  app = await testApp(db, { callers, clock });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

interface Doc {
  id: string;
  number: string;
  revision: number;
  status: string;
  body: string;
  contentHtml: string;
  version: number;
  nextReviewOn: string | null;
  lastReviewedOn: string | null;
  reviewIntervalMonths: number;
  files: Array<{ id: string; fileName: string; mediaType: string; sizeBytes: number; sha256: string; previewable: boolean }>;
  revisions: Array<{ id: string; revision: number; status: string }>;
  distribution: Array<{ kind: string; key: string; label: string }>;
  signatures: Array<{ meaning: string; valid: boolean; signer: { name: string } }>;
}

const call = async (who: Who, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url: `/api/v1${url}`, headers: { 'x-test-caller': who }, ...(payload ? { payload } : {}) });
const getDoc = async (id: string) => (await call('author', 'GET', `/documents/${id}`)).json() as Doc;
const signed = (who: Who, extra: object = {}) => ({ ...signingCredentials(people[who], clock), ...extra });
const move = (who: Who, id: string, to: string, extra: object = {}) => call(who, 'POST', `/documents/${id}/transitions`, { to, ...extra });

function upload(who: Who, id: string, fileName: string, contentType: string, content: Buffer) {
  const boundary = '----mediforge-documents-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return app.inject({
    method: 'POST',
    url: `/api/v1/documents/${id}/files`,
    headers: { 'x-test-caller': who, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  });
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR tiny image')]);

async function draft(title = 'Cleanroom gowning'): Promise<Doc> {
  const res = await call('author', 'POST', '/documents', { kind: 'sop', title, owner: 'Quality Assurance', reviewIntervalMonths: 12 });
  expect(res.statusCode).toBe(201);
  return getDoc(res.json().id);
}

async function effective(doc: Doc): Promise<Doc> {
  expect((await move('author', doc.id, 'in_review')).statusCode).toBe(200);
  expect((await move('approver', doc.id, 'approved', signed('approver'))).statusCode).toBe(200);
  expect((await move('releaser', doc.id, 'effective', signed('releaser'))).statusCode).toBe(200);
  return getDoc(doc.id);
}

describe(`document content, files, diff and review (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('sanitises content to the allow-list: scripts, event handlers and javascript: links are removed', () => {
    const dirty =
      '<h2 onclick="steal()">Scope</h2><script>alert(1)</script><p style="color:red">Applies to <b>line 2</b>' +
      '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">here</a> <a href="https://example.com/sop">ref</a></p>' +
      '<iframe src="https://evil.example"></iframe><svg><script>alert(4)</script></svg>';
    const clean = sanitizeContent(dirty);
    expect(clean).not.toMatch(/script|onclick|onerror|javascript:|<img|<iframe|<svg|style=|alert/i);
    expect(clean).toContain('<h2>Scope</h2>');
    expect(clean).toContain('<b>line 2</b>');
    expect(clean).toContain('<a href="https://example.com/sop" rel="noopener noreferrer">ref</a>');
    expect(contentText('<h2>Scope</h2><ul><li>Gown</li><li>Glove &amp; mask</li></ul><p>Done</p>')).toBe(
      'Scope\n• Gown\n• Glove & mask\nDone',
    );
  });

  it('[P11.10f] edits the content of a draft, stores it sanitised with its text, and refuses edits after submission (409)', async () => {
    const doc = await draft();
    const res = await call('author', 'PUT', `/documents/${doc.id}/content`, {
      html: '<h2>Purpose</h2><p onmouseover="x()">Gown before entering <strong>ISO 7</strong>.</p><script>fetch("/x")</script>',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      contentHtml: '<h2>Purpose</h2><p>Gown before entering <strong>ISO 7</strong>.</p>',
      body: 'Purpose\nGown before entering ISO 7.',
      contentEditor: { name: 'Han Mei' },
    });
    // The text follows the rich content; it is not edited beside it.
    const plain = await app.inject({
      method: 'PATCH',
      url: `/api/v1/documents/${doc.id}`,
      headers: { 'x-test-caller': 'author' },
      payload: { body: 'other text' },
    });
    expect(plain.statusCode).toBe(409);
    expect(plain.json()).toMatchObject({ code: 'error.documents.bodyFromContent' });
    await move('author', doc.id, 'in_review');
    const late = await call('author', 'PUT', `/documents/${doc.id}/content`, { html: '<p>changed in review</p>' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'error.documents.notDraft', params: { status: 'in_review' } });
    const shown = await getDoc(doc.id);
    expect(shown.contentHtml).toBe('<h2>Purpose</h2><p>Gown before entering <strong>ISO 7</strong>.</p>');
  });

  it('refuses content over the size bound and leaves the draft unchanged', async () => {
    const doc = await draft();
    const before = await getDoc(doc.id);
    const res = await call('author', 'PUT', `/documents/${doc.id}/content`, { html: `<p>${'x'.repeat(200_001)}</p>` });
    expect(res.statusCode).toBe(400);
    expect(await getDoc(doc.id)).toMatchObject({ version: before.version, contentHtml: '' });
  });

  it('[P11.10a] stores a file with its SHA-256, serves it verified with safe headers, and refuses a file altered in storage', async () => {
    const doc = await draft();
    const res = await upload('author', doc.id, 'Gowning poster.pdf', 'application/pdf', PDF);
    expect(res.statusCode).toBe(201);
    const file = res.json();
    expect(file).toMatchObject({
      fileName: 'Gowning poster.pdf',
      mediaType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: sha256Hex(PDF),
      previewable: true,
    });

    const download = await call('reader', 'GET', `/documents/${doc.id}/files/${file.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect(download.headers).toMatchObject({
      'content-type': 'application/pdf',
      'x-content-sha256': sha256Hex(PDF),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
    });
    expect(download.headers['content-disposition']).toMatch(/^inline; filename="Gowning poster.pdf"/);
    expect(download.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(download.headers['content-security-policy']).not.toMatch(/script-src|unsafe-eval/);
    const asAttachment = await call('reader', 'GET', `/documents/${doc.id}/files/${file.id}?download=true`);
    expect(asAttachment.headers['content-disposition']).toMatch(/^attachment;/);

    // The audit trail notes the file, never its bytes.
    const history = await withTenant(db, t.ctx, (tx) => recordHistory(tx, 'document_files', file.id));
    expect(JSON.stringify(history)).not.toContain(PDF.toString('hex'));
    expect(JSON.stringify(history)).not.toContain('Catalog');

    // One byte changed in storage, behind the application's back.
    await db.query(`UPDATE document_files SET content = overlay(content placing '\\x58'::bytea from 3 for 1) WHERE id = $1`, [file.id]);
    const tampered = await call('reader', 'GET', `/documents/${doc.id}/files/${file.id}`);
    expect(tampered.statusCode).toBe(409);
    expect(tampered.json()).toMatchObject({ code: 'error.documents.file.altered' });
  });

  it('sniffs the media type from the content, refusing a claim the content contradicts and unknown content', async () => {
    expect(sniffMediaType(PNG, 'x.png')).toBe('image/png');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'photo.jpg')).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('<html><script>alert(1)</script>'), 'page.pdf')).toBeUndefined();
    expect(sniffMediaType(Buffer.from('PK\u0003\u0004....[Content_Types].xml word/document.xml'), 'form.docx')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const doc = await draft();
    const image = await upload('author', doc.id, 'gown.png', 'application/octet-stream', PNG);
    expect(image.statusCode).toBe(201);
    expect(image.json()).toMatchObject({ mediaType: 'image/png', previewable: true });
    const shownImage = await call('reader', 'GET', `/documents/${doc.id}/files/${image.json().id}`);
    expect(shownImage.headers['content-security-policy']).toContain('sandbox');

    const lying = await upload('author', doc.id, 'poster.pdf', 'application/pdf', PNG);
    expect(lying.statusCode).toBe(422);
    expect(lying.json()).toMatchObject({ code: 'error.documents.file.invalid' });
    const html = await upload('author', doc.id, 'notes.pdf', 'application/pdf', Buffer.from('<html><script>alert(1)</script></html>'));
    expect(html.statusCode).toBe(422);
    const controlName = await upload('author', doc.id, 'bad\u0007name.pdf', 'application/pdf', PDF);
    expect(controlName.statusCode).toBe(422);
    expect((await getDoc(doc.id)).files.map((f) => f.fileName)).toEqual(['gown.png']);
  });

  it('refuses a file over the size limit, and files on a revision that is not a draft', async () => {
    const doc = await draft();
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_FILE_BYTES + 1 - PDF.length + 1, 0x20)]);
    const tooBig = await upload('author', doc.id, 'big.pdf', 'application/pdf', big);
    expect(tooBig.statusCode).toBe(422);
    expect(tooBig.json()).toMatchObject({ code: 'error.documents.file.tooLarge' });
    const kept = await upload('author', doc.id, 'kept.pdf', 'application/pdf', PDF);
    expect(kept.statusCode).toBe(201);
    await move('author', doc.id, 'in_review');
    const late = await upload('author', doc.id, 'late.pdf', 'application/pdf', PDF);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'error.documents.notDraft' });
    const removal = await call('author', 'DELETE', `/documents/${doc.id}/files/${kept.json().id}`);
    expect(removal.statusCode).toBe(409);
    expect((await getDoc(doc.id)).files.map((f) => f.fileName)).toEqual(['kept.pdf']);
  });

  it('[P11.10d] keeps the reader to reading: no content edits, uploads, removals or reviews', async () => {
    const doc = await draft();
    const file = (await upload('author', doc.id, 'a.pdf', 'application/pdf', PDF)).json();
    expect((await call('reader', 'PUT', `/documents/${doc.id}/content`, { html: '<p>x</p>' })).statusCode).toBe(403);
    expect((await upload('reader', doc.id, 'b.pdf', 'application/pdf', PDF)).statusCode).toBe(403);
    expect((await call('reader', 'DELETE', `/documents/${doc.id}/files/${file.id}`)).statusCode).toBe(403);
    expect((await call('reader', 'GET', `/documents/${doc.id}/files/${file.id}`)).statusCode).toBe(200);
    const shown = await getDoc(doc.id);
    expect(shown).toMatchObject({ contentHtml: '', files: [{ fileName: 'a.pdf' }] });
  });

  it('[P11.10k] starts a new revision with the content and files of the effective one, and shows the diff between them', async () => {
    const doc = await draft('Line clearance');
    await call('author', 'PUT', `/documents/${doc.id}/content`, {
      html: '<h2>Steps</h2><ol><li>Remove all labels of the previous lot.</li><li>Wipe the bench.</li></ol>',
    });
    await upload('author', doc.id, 'checklist.pdf', 'application/pdf', PDF);
    await upload('author', doc.id, 'bench.png', 'image/png', PNG);
    const rev1 = await effective(await getDoc(doc.id));
    const started = await call('author', 'POST', `/documents/${rev1.id}/revisions`);
    expect(started.statusCode).toBe(201);
    const rev2 = await getDoc(started.json().id);
    expect(rev2).toMatchObject({ revision: 2, status: 'draft', contentHtml: rev1.contentHtml, body: rev1.body });
    expect(rev2.files.map((f) => [f.fileName, f.sha256])).toEqual(rev1.files.map((f) => [f.fileName, f.sha256]));
    expect(rev2.revisions.map((r) => r.revision)).toEqual([2, 1]);

    await call('author', 'PUT', `/documents/${rev2.id}/content`, {
      html: '<h2>Steps</h2><ol><li>Remove all labels and leftover parts of the previous lot.</li><li>Wipe the bench with IPA.</li></ol>',
    });
    const png = rev2.files.find((f) => f.fileName === 'bench.png');
    expect((await call('author', 'DELETE', `/documents/${rev2.id}/files/${png?.id}`)).statusCode).toBe(204);
    const newPdf = Buffer.concat([PDF, Buffer.from('% revised\n')]);
    await call('author', 'DELETE', `/documents/${rev2.id}/files/${rev2.files.find((f) => f.fileName === 'checklist.pdf')?.id}`);
    await upload('author', rev2.id, 'checklist.pdf', 'application/pdf', newPdf);
    await upload('author', rev2.id, 'IPA label.jpg', 'image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));

    const res = await call('reader', 'GET', `/documents/${rev1.id}/diff?against=${rev2.id}`);
    expect(res.statusCode).toBe(200);
    const diff = res.json();
    expect(diff).toMatchObject({ from: { revision: 1 }, to: { revision: 2 }, title: null });
    const inserted = diff.content.filter((c: { op: string }) => c.op === 'insert').map((c: { text: string }) => c.text.trim());
    expect(inserted.join(' ')).toMatch(/leftover parts/);
    expect(inserted.join(' ')).toMatch(/IPA/);
    expect(diff.content.filter((c: { op: string }) => c.op === 'delete')).toEqual([]);
    expect(diff.files).toEqual([
      { fileName: 'IPA label.jpg', change: 'added', fromSha256: null, toSha256: expect.any(String) },
      { fileName: 'bench.png', change: 'removed', fromSha256: sha256Hex(PNG), toSha256: null },
      { fileName: 'checklist.pdf', change: 'changed', fromSha256: sha256Hex(PDF), toSha256: sha256Hex(newPdf) },
    ]);
    expect(diff.summary).toMatchObject({ filesAdded: 1, filesRemoved: 1, filesChanged: 1 });
    // The effective revision kept its files and content.
    expect((await getDoc(rev1.id)).files.map((f) => f.sha256)).toEqual(rev1.files.map((f) => f.sha256));

    const other = await draft('Something else');
    const across = await call('reader', 'GET', `/documents/${rev1.id}/diff?against=${other.id}`);
    expect(across.statusCode).toBe(409);
    expect(across.json()).toMatchObject({ code: 'error.documents.diffOtherDocument' });
  });

  it('[P11.70] a signature covers content and files: an approval is invalid once a returned draft changes them', async () => {
    const doc = await draft();
    await call('author', 'PUT', `/documents/${doc.id}/content`, { html: '<p>Gown in the airlock.</p>' });
    await move('author', doc.id, 'in_review');
    await move('approver', doc.id, 'approved', signed('approver'));
    await move('approver', doc.id, 'draft', signed('approver', { comment: 'add the poster' }));
    expect((await upload('author', doc.id, 'poster.png', 'image/png', PNG)).statusCode).toBe(201);
    const shown = await getDoc(doc.id);
    expect(shown.signatures.find((s) => s.meaning === 'approved')?.valid).toBe(false);
  });

  it('[P11.10g-sod] sets the next review date on release, signs the periodic review (not by the author) and lists reviews due', async () => {
    const doc = await effective(await draft('Periodic review probe'));
    // The site's calendar, not the database's: the site's day may already be tomorrow in UTC.
    const today = await withTenant(db, t.ctx, (tx) => siteToday(tx));
    const inAYear = await withTenant(
      db,
      t.ctx,
      async (tx) => (await tx.query<{ d: string }>("SELECT ($1::date + interval '12 months')::date::text AS d", [today])).rows[0]?.d,
    );
    expect(doc).toMatchObject({ reviewIntervalMonths: 12, nextReviewOn: inAYear, lastReviewedOn: null });

    const byAuthor = await call('author', 'POST', `/documents/${doc.id}/reviews`, signed('author'));
    expect(byAuthor.statusCode).toBe(409);
    expect(byAuthor.json()).toMatchObject({ code: 'error.esign.separationOfDuties', params: { rule: 'notAuthor', meaning: 'reviewed' } });
    const byReader = await call('reader', 'POST', `/documents/${doc.id}/reviews`, signed('reader'));
    expect(byReader.statusCode).toBe(403);
    expect(await getDoc(doc.id)).toMatchObject({ lastReviewedOn: null });

    // Make it overdue, as if the year had passed.
    await withTenant(db, t.ctx, (tx) =>
      withChangeReason(tx, 'review date moved into the past for the test', () =>
        tx.query('UPDATE documents SET next_review_on = current_date - 3 WHERE id = $1', [doc.id]),
      ),
    );
    const due = (await call('reader', 'GET', '/documents/reviews-due')).json();
    expect(due.items).toContainEqual(expect.objectContaining({ id: doc.id, overdue: true }));

    const reviewed = await call('approver', 'POST', `/documents/${doc.id}/reviews`, signed('approver', { comment: 'still current' }));
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json()).toMatchObject({ status: 'effective', lastReviewedOn: today, nextReviewOn: inAYear });
    expect(reviewed.json().signatures.at(-1)).toMatchObject({ meaning: 'reviewed', signer: { name: 'Guo Qiang' }, valid: true });
    const after = (await call('reader', 'GET', '/documents/reviews-due')).json();
    expect(after.items.map((d: { id: string }) => d.id)).not.toContain(doc.id);
    const events = await withTenant(db, t.ctx, async (tx) =>
      (await tx.query<{ type: string }>(`SELECT type FROM outbox_events WHERE aggregate_id = '${doc.id}' ORDER BY aggregate_seq`)).rows.map(
        (r) => r.type,
      ),
    );
    expect(events).toContain('documents.document.reviewed');

    const draftReview = await call('approver', 'POST', `/documents/${(await draft()).id}/reviews`, signed('approver'));
    expect(draftReview.statusCode).toBe(409);
    expect(draftReview.json()).toMatchObject({ code: 'error.documents.notEffective' });
  });

  it('distributes a document to roles and work centers, for every revision, with an event; refuses bad targets whole', async () => {
    const wc = await withTenant(
      db,
      t.ctx,
      async (tx) =>
        (
          await tx.query<{ id: string }>(
            `INSERT INTO work_centers (code, name, site_id, capacity_hours_per_day) VALUES ('WC-RF3', 'RF welder station 3', $1, 16) RETURNING id`,
            [t.site.id],
          )
        ).rows[0]?.id as string,
    );
    const doc = await effective(await draft('RF welding'));
    const set = await call('author', 'PUT', `/documents/${doc.id}/distribution`, {
      roles: ['Operator', 'QA Inspector'],
      workCenterIds: [wc],
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().distribution).toEqual([
      { kind: 'role', key: 'Operator', label: 'Operator' },
      { kind: 'role', key: 'QA Inspector', label: 'QA Inspector' },
      { kind: 'work_center', key: wc, label: 'WC-RF3 RF welder station 3' },
    ]);
    const mine = (await call('reader', 'GET', `/documents/distributed?roles=Operator&workCenterIds=${wc}`)).json();
    expect(mine.items).toContainEqual(
      expect.objectContaining({ id: doc.id, via: expect.arrayContaining([expect.objectContaining({ key: wc })]) }),
    );

    const control = await call('author', 'PUT', `/documents/${doc.id}/distribution`, { roles: ['Operator\u0007'], workCenterIds: [] });
    expect(control.statusCode).toBe(400);
    const bad = await call('author', 'PUT', `/documents/${doc.id}/distribution`, {
      roles: ['Line lead'],
      workCenterIds: ['0190f1c2-0000-7000-8000-000000000000'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'error.documents.distributionInvalid', errors: [{ pointer: '/body/workCenterIds/0' }] });
    expect((await getDoc(doc.id)).distribution).toHaveLength(3);
    expect((await call('reader', 'PUT', `/documents/${doc.id}/distribution`, { roles: [], workCenterIds: [] })).statusCode).toBe(403);

    const changed = await call('author', 'PUT', `/documents/${doc.id}/distribution`, { roles: ['Operator'], workCenterIds: [wc] });
    expect(changed.statusCode).toBe(200);
    const next = (await call('author', 'POST', `/documents/${doc.id}/revisions`)).json();
    expect((await getDoc(next.id)).distribution.map((d) => d.key)).toEqual(['Operator', wc]);
    const events = await withTenant(db, t.ctx, async (tx) =>
      (
        await tx.query<{ payload: { data: { added: unknown[]; removed: Array<{ key: string }> } } }>(
          `SELECT to_jsonb(e) AS payload FROM (SELECT data FROM outbox_events WHERE aggregate_id = $1 AND type = 'documents.distribution.changed' ORDER BY aggregate_seq) e`,
          [doc.id],
        )
      ).rows.map((r) => r.payload.data),
    );
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ added: [], removed: [{ key: 'QA Inspector' }] });
  });
});
