import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import type { Tx } from '../db/index.js';
import { type Database, sql } from '../db/index.js';
import { Decimal } from '../decimal.js';
import { Unauthorized } from '../errors.js';
import type { TenantContext } from '../tenancy/index.js';
import { withTenant } from '../tenancy/index.js';
import { canonicalJson, contentHash } from './canonical.js';
import { formatSignedAt, manifestSignature } from './manifest.js';
import { listSignatures, registerSignable, sign, verifiedOnce } from './signatures.js';
import type { SignerVerifier } from './types.js';

describe('signed content and manifestation', () => {
  it('gives the same canonical content whatever the field order, with exact decimals and UTC times', () => {
    const a = { qty: new Decimal('12.500'), at: new Date('2026-11-22T06:03:11.000+08:00'), name: 'Tip', skip: undefined };
    const b = { name: 'Tip', at: new Date('2026-11-21T22:03:11Z'), qty: new Decimal('12.5') };
    expect(canonicalJson(a)).toBe('{"at":"2026-11-21T22:03:11.000Z","name":"Tip","qty":"12.5"}');
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(contentHash('documents', '1', a)).toBe(contentHash('documents', '1', b));
  });

  it('[P11.70] binds the hash to the record it was made for, so it cannot be moved to another', () => {
    const content = { title: 'Gowning' };
    expect(contentHash('documents', '1', content)).not.toBe(contentHash('documents', '2', content));
    expect(contentHash('documents', '1', content)).not.toBe(contentHash('procedures', '1', content));
  });

  it("[P11.50] manifests printed name, login, local time with offset and meaning in the site's time zone", () => {
    const sig = {
      signer: { id: 'u1', login: 'liwei', name: 'Li Wei' },
      signedAt: '2026-11-22T06:03:11.250Z',
      meaning: 'approved' as const,
    };
    const m = manifestSignature(sig, 'Asia/Shanghai');
    expect(m.text).toBe('Signed by Li Wei (liwei), 2026-11-22 14:03:11 +08:00, Meaning: Approved');
    expect(m).toMatchObject({ code: 'esign.manifestation', params: { meaning: 'esign.meaning.approved', name: 'Li Wei' } });
    expect(formatSignedAt(sig.signedAt, 'UTC')).toBe('2026-11-22 06:03:11 +00:00');
    expect(formatSignedAt(sig.signedAt, 'America/Chicago')).toBe('2026-11-22 00:03:11 -06:00');
  });
});

describe('one re-authentication per decision', () => {
  const ctx: TenantContext = { tenantId: 't', actor: { kind: 'user', id: 'u1', name: 'Li Wei' }, requestId: 'r', sessionId: 's1' };
  /** A verifier that counts the password checks it makes (each one an argon2 hash in identity's). */
  function counting() {
    const counter = { checks: 0 };
    const verifier: SignerVerifier = async (_tx, who, creds) => {
      counter.checks++;
      if (creds.password !== 'right') throw new Unauthorized('the password is not correct', { code: 'error.esign.credentials' });
      return { userId: who.actor.id, login: 'liwei', printedName: who.actor.name, permissions: ['a:sign'] };
    };
    return { counter, verifier };
  }
  const tx = {} as Tx;

  it('[P11.200] checks the credentials once for every signature of one transaction, and again for other credentials or another transaction', async () => {
    const { counter, verifier } = counting();
    const once = verifiedOnce(verifier)!;
    const first = await once(tx, ctx, { password: 'right', totpCode: '123456' });
    expect(await once(tx, ctx, { password: 'right', totpCode: '123456' })).toBe(first);
    expect(counter.checks).toBe(1);
    await once(tx, ctx, { password: 'right' });
    expect(counter.checks).toBe(2);
    await once({} as Tx, ctx, { password: 'right' });
    await once({} as Tx, { ...ctx, actor: { ...ctx.actor, id: 'u2' } }, { password: 'right' });
    expect(counter.checks).toBe(4);
    expect(verifiedOnce(null)).toBeNull();
  });

  it('[P11.300d] remembers no refusal: each wrong password is checked (and counted toward lockout) again', async () => {
    const { counter, verifier } = counting();
    const once = verifiedOnce(verifier)!;
    await expect(once(tx, ctx, { password: 'wrong' })).rejects.toMatchObject({ code: 'error.esign.credentials' });
    await expect(once(tx, ctx, { password: 'wrong' })).rejects.toMatchObject({ code: 'error.esign.credentials' });
    expect(counter.checks).toBe(2);
  });
});

// A record whose signed content holds a time: a site and when it was created.
registerSignable({
  entity: 'sites',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(sql`SELECT code, name, created_at FROM sites WHERE id = ${id}`);
    return rows[0];
  },
  permissionFor: (meaning) => (meaning === 'approved' ? 'test:sign.approved' : undefined),
});

const verifier: SignerVerifier = async () => ({
  userId: 'u-qa',
  login: 'qa',
  printedName: 'Quinn Adams',
  permissions: ['test:sign.approved'],
});

describe(`signed times read from the database (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: Database;
  let t: TestTenant;
  beforeAll(async () => {
    db = await testDatabase();
    t = await testTenant(db);
  });
  afterAll(() => db.close());

  it('[P11.70] keeps a signature valid while nothing changes, and hashes a time as the Date it once was', async () => {
    const siteId = t.site.id;
    await withTenant(db, t.ctx, (tx) =>
      sign(tx, t.ctx, verifier, { entity: 'sites', id: siteId, meaning: 'approved', credentials: { password: 'unused' } }),
    );
    const [signature] = await withTenant(db, t.ctx, (tx) => listSignatures(tx, 'sites', siteId));
    expect(signature).toMatchObject({ valid: true, signedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });

    // The same content as the driver returned it before times came back as text: a Date, read by
    // the driver's own parser from PostgreSQL's text. Its hash is the signature's, so signatures
    // made then are still valid now.
    const asDate = onPostgres ? (pg.types.getTypeParser(1184, 'text') as (v: string) => Date) : (v: string) => new Date(v);
    const { rows } = await withTenant(db, t.ctx, (tx) =>
      tx.query<{ code: string; name: string; created_at: string; created_text: string }>(
        sql`SELECT code, name, created_at, created_at::text AS created_text FROM sites WHERE id = ${siteId}`,
      ),
    );
    const { created_text: text, ...content } = rows[0]!;
    const before = { ...content, created_at: asDate(text) };
    expect(typeof content.created_at).toBe('string');
    expect(canonicalJson(content)).toBe(canonicalJson(before));
    expect(contentHash('sites', siteId, before)).toBe(signature?.contentHash);

    // A change to the record invalidates it.
    await withTenant(db, t.ctx, (tx) => tx.query(sql`UPDATE sites SET name = ${'Plant 1 (renamed)'} WHERE id = ${siteId}`));
    const [after] = await withTenant(db, t.ctx, (tx) => listSignatures(tx, 'sites', siteId));
    expect(after?.valid).toBe(false);
  });
});
