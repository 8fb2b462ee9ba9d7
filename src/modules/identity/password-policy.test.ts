import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { callerFor, createUser, loginAs, sessionCookie, TestClock } from '../../../test/identity.js';
import type { Database } from '../../platform/db/index.js';
import { isCommonPassword, isTrivialPassword } from './passwords.js';

let db: Database;
let app: FastifyInstance;
let t: TestTenant;
const clock = new TestClock();

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  t = await testTenant(db);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('password policy', () => {
  it('[P11.300b] knows the common passwords people pick, also with digits hung on, and trivial repeats and runs', () => {
    for (const common of ['password', 'Password123!', 'qwertyuiop', 'iloveyou2024', 'Dragon'])
      expect(isCommonPassword(common), common).toBe(true);
    for (const trivial of ['aaaaaaaaaaaa', 'abcabcabcabc', '123456789012', 'zyxwvutsrqpo', '1212121212121212']) {
      expect(isTrivialPassword(trivial), trivial).toBe(true);
    }
    for (const fine of ['Balloon-Leak-Test-2bar', 'Correct-Horse-Battery-7']) {
      expect(isCommonPassword(fine) || isTrivialPassword(fine), fine).toBe(false);
    }
  });

  it('[P11.300b] refuses common, trivial and personal passwords, each objection named, and the last N however fast they change', async () => {
    const user = await createUser(db, t, { fullName: 'Zhou Xiaoling' });
    let current = user.password;
    // One session throughout: each change hands out the session's next cookie and CSRF token.
    let me = await loginAs(app, user, clock);
    const change = async (next: string) => {
      const res = await me.request('POST', '/api/v1/auth/password', { currentPassword: current, newPassword: next });
      if (res.statusCode === 200) {
        current = next;
        me = callerFor(app, user.id, sessionCookie(res) ?? me.cookie, res.json().csrfToken, res.json().state);
      }
      return res;
    };
    const common = await change('Password12345!');
    expect(common.statusCode).toBe(422);
    expect(common.json().errors).toEqual([
      expect.objectContaining({ pointer: '/body/newPassword', code: 'error.identity.password.common' }),
    ]);
    expect((await change('abcabcabcabcabc')).json().errors[0].code).toBe('error.identity.password.trivial');
    expect((await change('Xiaoling-Secure-Key-9')).json().errors[0].code).toBe('error.identity.password.personal');
    const short = (await change('x1')).json().errors.map((e: { code: string }) => e.code);
    expect(short).toEqual(expect.arrayContaining(['error.identity.password.tooShort']));

    // Five changes in a row, as fast as the clock allows: the first may still not come back (history of 5).
    const first = current;
    for (const next of ['Amber-Valve-Seat-41', 'Basalt-Pump-Ring-52', 'Cobalt-Lens-Cap-63', 'Delta-Clamp-Arm-74']) {
      expect((await change(next)).statusCode).toBe(200);
    }
    const reused = await change(first);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().errors[0].code).toBe('error.identity.password.reused');
    expect((await change('Echo-Filter-Mesh-85')).statusCode).toBe(200);
    expect((await change(first)).statusCode).toBe(200);
  });
});
