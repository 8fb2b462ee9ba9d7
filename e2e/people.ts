import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Cookie, Page } from '@playwright/test';
import { base32Decode, hotp, TOTP_PERIOD_SECONDS, timeStep } from '../src/modules/identity/totp.js';
import { expect } from './fixtures.js';

/** A demo person as the tests come to know them: password, TOTP secret, session cookies. */
export interface Person {
  login: string;
  password: string;
  totpSecret?: string;
  /** The last TOTP time step used: the server never accepts a step twice. */
  lastStep?: number;
  recoveryCodes?: string[];
  cookies?: Cookie[];
}

/**
 * What the scenarios learned about each person (changed password, TOTP secret, last code used)
 * is kept in a file of the run (global-setup.ts), so a later test file signs in as a person an
 * earlier one set up, and never reuses a TOTP step.
 */
const storeFile = () => join(process.env.E2E_STATE_DIR ?? '.', 'people.json');

function stored(): Record<string, Person> {
  try {
    return JSON.parse(readFileSync(storeFile(), 'utf8')) as Record<string, Person>;
  } catch {
    return {};
  }
}

/** Keeps what a test learned about a person for the tests that follow. */
export function remember(person: Person): void {
  writeFileSync(storeFile(), JSON.stringify({ ...stored(), [person.login]: person }));
}

export function demoPerson(login: string): Person {
  const known = stored()[login];
  if (known) return known;
  const passwords = JSON.parse(process.env.E2E_DEMO_PASSWORDS ?? '{}') as Record<string, string>;
  const password = passwords[login];
  if (!password) throw new Error(`the demo seed printed no password for ${login}`);
  return { login, password };
}

/** Whether the person still has the seeded one-time password (nobody has signed in as them yet). */
export const isNew = (person: Person): boolean => !stored()[person.login];

/**
 * The next TOTP code (RFC 6238, the server's own implementation) the server will accept: the
 * current time step, or the one after the last used when that is still inside the drift window.
 * A person who signs often uses up the window; then, like a person at the device, we wait for
 * the next period.
 */
export async function nextTotp(person: Person): Promise<string> {
  const last = stored()[person.login]?.lastStep ?? person.lastStep ?? 0;
  const step = last + 1;
  for (;;) {
    const now = timeStep(new Date());
    if (step <= now + 1) break;
    const nextPeriodMs = (now + 1) * TOTP_PERIOD_SECONDS * 1000 - Date.now();
    await new Promise((resolve) => setTimeout(resolve, nextPeriodMs + 50));
  }
  const now = timeStep(new Date());
  const chosen = Math.max(now, step);
  person.lastStep = chosen;
  if (!isNew(person)) remember(person);
  return hotp(base32Decode(person.totpSecret!), chosen);
}

export async function typeTotp(page: Page, code: string): Promise<void> {
  await page.locator('input[inputmode="numeric"]').first().click();
  await page.keyboard.type(code);
}

/** Signs in through the form; the person must already have changed the first password. */
export async function signIn(page: Page, person: Person): Promise<void> {
  await page.getByRole('textbox', { name: 'Login', exact: true }).fill(person.login);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (person.totpSecret) {
    await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
    await typeTotp(page, await nextTotp(person));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
}

/** Continues with a session signed in earlier, as another tab of the same person would. */
export async function resume(context: BrowserContext, person: Person): Promise<void> {
  if (!person.cookies) throw new Error(`${person.login} has not signed in yet`);
  await context.addCookies(person.cookies);
}

/**
 * A first sign-in with the seeded one-time password: a new password, then, for roles that sign
 * or administer, TOTP enrolment.
 */
export async function firstSignIn(page: Page, person: Person, newPassword: string): Promise<void> {
  await signIn(page, person);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('Current password').fill(person.password);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(newPassword);
  await page.getByLabel('Repeat new password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  person.password = newPassword;
  const enrol = page.getByRole('heading', { name: 'Set up two-step verification' });
  const home = page.getByRole('main');
  await expect(enrol.or(home)).toBeVisible();
  if (await enrol.isVisible()) {
    person.totpSecret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await typeTotp(page, await nextTotp(person));
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
    person.recoveryCodes = (await page.getByTestId('recovery-codes').locator('code').allTextContents()).map((c) => c.trim());
    await page.getByRole('button', { name: /I have saved the codes/ }).click();
  }
  remember(person);
}

/**
 * Opens `path` signed in as the demo person `login`: the first time with the one-time password
 * (new password, TOTP enrolment when the role needs it); later in the session they signed in
 * with before, as another tab of theirs would, or with the password and a fresh code when that
 * session has ended.
 */
export async function openAs(page: Page, login: string, path: string): Promise<Person> {
  const person = demoPerson(login);
  const atPath = new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  if (person.cookies) await resume(page.context(), person);
  await page.goto(path);
  await expect(
    page
      .getByRole('main')
      .or(page.getByRole('button', { name: 'Sign in' }))
      .first(),
  ).toBeVisible();
  if (/\/login/.test(page.url())) {
    // The password policy refuses a password containing the login or the person's name ("Demo Administrator").
    if (isNew(person)) await firstSignIn(page, person, 'Mediforge-Plant-Passw0rd-2026');
    else await signIn(page, person);
  }
  await expect(page).toHaveURL(atPath);
  person.cookies = await page.context().cookies();
  remember(person);
  return person;
}
