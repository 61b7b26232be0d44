/**
 * What the console's browser tests share: staff accounts created through the real store and
 * password hashing, and logging in through the real login form.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../channels/staff/auth/password.js';
import type { StaffRole } from '../../storage/types.js';
import type { RunningLotse } from './harness.js';

export interface StaffLogin {
  username: string;
  password: string;
  role: StaffRole;
  displayName?: string;
}

/** Creates (or replaces) an account. */
export async function createStaff(lotse: RunningLotse, login: StaffLogin): Promise<void> {
  await lotse.stores.staffAccounts.upsert({
    username: login.username,
    role: login.role,
    ...(login.displayName ? { displayName: login.displayName } : {}),
    passwordHash: await hashPassword(login.password),
  });
}

/** Opens the login form in a new tab of `context`, logs in, and returns the tab. */
export async function loginStaff(
  context: BrowserContext,
  lotse: RunningLotse,
  login: StaffLogin,
  next = '/staff',
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${lotse.origin}/staff/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Benutzername').fill(login.username);
  await page.getByLabel('Passwort').fill(login.password);
  await page.getByLabel('Passwort').press('Enter');
  await page.waitForURL((url) => url.pathname === next, { waitUntil: 'commit' });
  return page;
}
