import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from './config.js';

/**
 * Secrets at rest (TOTP seeds, webhook secrets): AES-256-GCM with the key from
 * MEDIFORGE_SECRET_KEY. Stored as `v1:<iv>:<tag>:<ciphertext>` (base64url), so a later key
 * rotation can tell versions apart.
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

/** Outside production a fixed development key keeps `npm start` one command; config refuses that in production. */
const DEV_KEY = createHash('sha256').update('mediforge-development-key-not-for-production').digest();

export function secretBox(config: Pick<Config, 'secretKey'>): SecretBox {
  const key = config.secretKey ? Buffer.from(config.secretKey, 'hex') : DEV_KEY;
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join(':');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('sealed secret has an unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** A key for one purpose (e.g. sealing audit checkpoints), derived from the server key: never stored in the database. */
export function purposeKey(config: Pick<Config, 'secretKey'>, purpose: string): Buffer {
  const key = config.secretKey ? Buffer.from(config.secretKey, 'hex') : DEV_KEY;
  return createHmac('sha256', key).update(`mediforge:${purpose}`).digest();
}

export const hmacHex = (key: Buffer, data: string): string => createHmac('sha256', key).update(data).digest('hex');

/** Random token for sessions and API tokens: 256 bits, base64url. Store only its sha256. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Constant-time comparison of two strings (e.g. CSRF tokens, HMAC signatures). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
