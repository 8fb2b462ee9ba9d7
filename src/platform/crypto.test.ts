import { describe, expect, it } from 'vitest';
import { safeEqual, secretBox } from './crypto.js';

describe('secrets at rest', () => {
  const box = secretBox({ secretKey: 'a'.repeat(64) });

  it('seals with a fresh IV each time and opens to the original', () => {
    const a = box.seal('JBSWY3DPEHPK3PXP');
    const b = box.seal('JBSWY3DPEHPK3PXP');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(a)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a tampered ciphertext or another key', () => {
    const sealed = box.seal('webhook-secret');
    const parts = sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => secretBox({ secretKey: 'b'.repeat(64) }).open(sealed)).toThrow();
  });

  it('compares secrets in constant time without false positives', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
