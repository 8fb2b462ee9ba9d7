import { describe, expect, it } from 'vitest';
import type { Tx } from '../db/index.js';
import { Decimal } from '../decimal.js';
import { Unauthorized } from '../errors.js';
import type { TenantContext } from '../tenancy/index.js';
import { canonicalJson, contentHash } from './canonical.js';
import { formatSignedAt, manifestSignature } from './manifest.js';
import { verifiedOnce } from './signatures.js';
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
