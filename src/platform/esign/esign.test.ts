import { describe, expect, it } from 'vitest';
import { Decimal } from '../decimal.js';
import { canonicalJson, contentHash } from './canonical.js';
import { formatSignedAt, manifestSignature } from './manifest.js';

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
