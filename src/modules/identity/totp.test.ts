import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, timeStep, totpAt } from './totp.js';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const SEED = Buffer.from('12345678901234567890');
const VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('matches the RFC 6238 Appendix B vector at T=%i', (seconds, expected) => {
    expect(hotp(SEED, timeStep(new Date(seconds * 1000)), 8)).toBe(expected);
  });

  it('gives the 6-digit code authenticator apps show for a base32 seed', () => {
    const secret = base32Encode(SEED);
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(secret)).toEqual(SEED);
    expect(totpAt(secret, new Date(59_000))).toBe('287082');
  });

  it('accepts one step of drift either way, and never a step already used (no replay)', () => {
    const secret = base32Encode(SEED);
    const at = new Date(1111111111 * 1000);
    const step = timeStep(at);
    expect(matchTotp(secret, totpAt(secret, new Date(at.getTime() - 30_000)), at, null)).toBe(step - 1);
    expect(matchTotp(secret, totpAt(secret, new Date(at.getTime() + 30_000)), at, null)).toBe(step + 1);
    expect(matchTotp(secret, totpAt(secret, new Date(at.getTime() - 60_000)), at, null)).toBeUndefined();
    expect(matchTotp(secret, totpAt(secret, at), at, step)).toBeUndefined();
    expect(matchTotp(secret, 'abcdef', at, null)).toBeUndefined();
  });

  it('writes an otpauth URI with issuer, algorithm, digits and period', () => {
    expect(otpauthUri('ABC', 'Mediforge', 'demo/admin')).toBe(
      'otpauth://totp/Mediforge%3Ademo%2Fadmin?secret=ABC&issuer=Mediforge&algorithm=SHA1&digits=6&period=30',
    );
  });
});
