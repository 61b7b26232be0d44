/**
 * The console's login and account pages in Debian's Chromium against a real Lotse server: a
 * visitor is sent to the login and back, a wrong password shows an alert, the form works by
 * keyboard (the skip link appears on focus), an admin locks an account and logs out. axe-core
 * finds no WCAG 2.1 A/AA violation on the login page (with and without the error) and the
 * accounts page. Posting the real form also proves the browser's Origin passes the CSRF check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKnowledge } from '../../knowledge/knowledge-base.js';
import { launchChromium, type RunningLotse, startLotse } from './harness.js';
import { axeViolations } from './page-checks.js';
import { createStaff, loginStaff, type StaffLogin } from './staff.js';

const ADMIN: StaffLogin = { username: 'ada', password: 'admin-passwort-1234', role: 'admin' };
const AGENT: StaffLogin = {
  username: 'anna',
  password: 'agentin-passwort-1234',
  role: 'agent',
  displayName: 'Anna Beispiel',
};

let browser: Browser;
let lotse: RunningLotse;
let knowledgeDir: string;

beforeAll(async () => {
  knowledgeDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-knowledge-'));
  const knowledge = await openKnowledge({ dataDir: knowledgeDir, persistSnapshot: false });
  lotse = await startLotse(knowledge);
  await createStaff(lotse, ADMIN);
  await createStaff(lotse, AGENT);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await lotse?.close();
  rmSync(knowledgeDir, { recursive: true, force: true });
});

describe('staff login in a browser', () => {
  it('sends a visitor to the login, refuses a wrong password, then returns to the page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${lotse.origin}/staff/insights`);
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    expect(await axeViolations(page)).toEqual([]);

    // Keyboard only: the skip link is the first stop and becomes visible.
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Zum Inhalt springen' });
    await expect
      .poll(() =>
        skip.evaluate(
          (el) =>
            el ===
            (globalThis as unknown as { document: { activeElement: unknown } }).document
              .activeElement,
        ),
      )
      .toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.width > 0).toBe(true);

    await page.getByLabel('Benutzername').fill(ADMIN.username);
    await page.getByLabel('Passwort').fill('falsch-geraten');
    await page.getByLabel('Passwort').press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Benutzername oder Passwort ist falsch.');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Passwort').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/insights');
    const cookie = (await context.cookies()).find((c) => c.name === 'lotse_staff')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/staff' });
    await context.close();
  });

  it('lets an admin lock an account and log out', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const agentContext = await browser.newContext();
    const agent = await loginStaff(agentContext, lotse, AGENT, '/staff');
    const page = await loginStaff(context, lotse, ADMIN, '/staff/admin/accounts');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Konten');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sperren anna' }).click();
    await page.getByRole('status').filter({ hasText: 'anna' }).waitFor();
    expect(await page.getByRole('row', { name: /anna/ }).innerText()).toContain('gesperrt');
    expect(await axeViolations(page)).toEqual([]);

    // The locked agent's open console is logged out on its next request.
    await agent.reload();
    expect(new URL(agent.url()).pathname).toBe('/staff/login');

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/login');
    await page.getByRole('status').filter({ hasText: 'Sie wurden abgemeldet.' }).waitFor();
    await page.goto(`${lotse.origin}/staff/admin/accounts`);
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    await context.close();
    await agentContext.close();
  });
});
