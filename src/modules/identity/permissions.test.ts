import { describe, expect, it } from 'vitest';
import { expandGrants, isReadPermission, requiresTotp, STANDARD_ROLES } from './permissions.js';

const role = (name: string) => STANDARD_ROLES.find((r) => r.name === name)?.grants ?? [];

// A catalog as it may look once later modules have arrived.
const catalog = [
  'auth:session',
  'auth:self',
  'audit:read',
  'audit:verify',
  'inventory:read',
  'inventory:lot.read',
  'inventory:issue',
  'inventory:lot.hold',
  'quality:ncr.create',
  'quality:ncr.sign.disposition',
  'production:operation.complete',
  'production:wo.release',
].map((name) => ({ name, description: name }));

describe('roles as rules over the permission catalog', () => {
  it('gives the Auditor every read permission of modules added later, and nothing that writes', () => {
    const auditor = expandGrants(role('Auditor'), catalog);
    expect(auditor).toEqual(['audit:read', 'audit:verify', 'inventory:read', 'inventory:lot.read']);
    expect(requiresTotp(auditor, false)).toBe(false);
  });

  it('derives the TOTP requirement from signing and administering permissions', () => {
    const qa = expandGrants(role('QA Manager'), catalog);
    expect(qa).toEqual(expect.arrayContaining(['quality:ncr.sign.disposition', 'inventory:lot.hold', 'production:wo.release']));
    expect(requiresTotp(qa, false)).toBe(true);
    expect(requiresTotp(['admin:users'], false)).toBe(true);
    const operator = expandGrants(role('Operator'), catalog);
    expect(operator).toEqual(['inventory:read', 'inventory:lot.read', 'production:operation.complete']);
    expect(requiresTotp(operator, false)).toBe(false);
    expect(requiresTotp(operator, true)).toBe(true);
  });

  it('[A11.15] lets only QA release or reject a lot, not the warehouse that moves it', () => {
    const lots = ['inventory:move', 'inventory:adjust', 'inventory:sign.released', 'inventory:sign.rejected'].map((name) => ({
      name,
      description: name,
    }));
    expect(expandGrants(role('Warehouse'), lots)).toEqual(['inventory:move', 'inventory:adjust']);
    expect(expandGrants(role('QA Manager'), lots)).toEqual(expect.arrayContaining(['inventory:sign.released', 'inventory:sign.rejected']));
  });

  it('never hands out the implicit person permissions through a role', () => {
    expect(expandGrants(['*'], catalog)).not.toContain('auth:self');
    expect(isReadPermission('quality:ncr.read')).toBe(true);
    expect(isReadPermission('quality:ncr.ready')).toBe(false);
  });
});
