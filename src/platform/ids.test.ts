import { describe, expect, it } from 'vitest';
import { UUID_PATTERN, uuidv7 } from './ids.js';

describe('UUIDv7 ids', () => {
  it('carries version 7, the RFC variant and the creation time in its first 48 bits', () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const id = uuidv7(now);
    expect(id).toMatch(new RegExp(UUID_PATTERN));
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(now);
  });

  it('sorts in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
