/**
 * Agent assist in a real browser (Debian's Chromium) against a real Lotse server: an agent logs
 * in through the login form, searches for a caller's concern, reads the answer card and copies a
 * fact with one click (and with the keyboard alone), and enters an application for a caller in
 * Web Chat; axe-core finds no WCAG 2.1 A/AA violation on the assist pages.
 */
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { hashPassword } from '../../channels/staff/auth/password.js';
import { openKnowledge } from '../../knowledge/knowledge-base.js';
import { tempDir } from '../knowledge/fixtures.js';
import { launchChromium, type RunningLotse, startLotse } from './harness.js';
import { axeScan, axeViolations, type Problems, watchProblems } from './page-checks.js';

const USERNAME = 'anna';
const PASSWORD = 'korrekt-Pferd-Batterie-42';
const QUESTION = 'Was kostet ein Personalausweis?';
/** The Munich catalogue id of "Personalausweis". */
const PERSONALAUSWEIS = '1063441';
const FEE = 'unter 24 Jahren: 27,60 Euro';
const APPLY_STORAGE_KEY = 'lotse.staff.apply';

let browser: Browser;
let lotse: RunningLotse;
let context: BrowserContext;
let knowledgeDir: string;

beforeAll(async () => {
  knowledgeDir = tempDir('lotse-e2e-assist-');
  const knowledge = await openKnowledge({ dataDir: knowledgeDir, persistSnapshot: false });
  lotse = await startLotse(knowledge);
  await lotse.stores.staffAccounts.upsert({
    username: USERNAME,
    role: 'agent',
    displayName: 'Anna, Service-Team',
    passwordHash: await hashPassword(PASSWORD),
  });
  browser = await launchChromium();
  context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: lotse.origin });
  // One login for the file: the session cookie belongs to the context, shared by its tabs.
  const page = await context.newPage();
  await page.goto(`${lotse.origin}/staff`);
  await page.locator('#username').fill(USERNAME);
  await page.locator('#password').fill(PASSWORD);
  await Promise.all([
    page.waitForURL(`${lotse.origin}/staff`),
    page.locator('button[type="submit"].primary').click(),
  ]);
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  await lotse?.close();
  rmSync(knowledgeDir, { recursive: true, force: true });
});

/** The browser globals used inside the page (the project compiles without the DOM library). */
interface PageGlobals {
  navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };
  sessionStorage: { getItem(key: string): string | null };
  document: {
    activeElement: {
      tagName: string;
      id: string;
      textContent: string | null;
      getAttribute(name: string): string | null;
    } | null;
  };
}

/** A new tab (closed when the test ends) that records page errors and CSP violations. */
async function openTab(test: TestContext): Promise<{ page: Page; problems: Problems }> {
  const page = await context.newPage();
  test.onTestFinished(() => page.close());
  const problems = await watchProblems(page);
  return { page, problems };
}

async function clipboard(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
}

async function clearClipboard(page: Page): Promise<void> {
  await page.evaluate(() =>
    (globalThis as unknown as PageGlobals).navigator.clipboard.writeText(''),
  );
}

/** `tag#id name` of the focused element (its aria-label or text), whitespace collapsed. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as PageGlobals).document.activeElement;
    if (!el) return '';
    const text = (el.getAttribute('aria-label') ?? el.textContent ?? '')
      .trim()
      .replace(/\s+/g, ' ');
    return `${el.tagName.toLowerCase()}#${el.id} ${text}`;
  });
}

async function pressUntilFocused(page: Page, key: string, matches: RegExp, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    if (matches.test(await focused(page))) return;
  }
  throw new Error(`${key} never reached ${matches}; focus is on "${await focused(page)}"`);
}

/** The first visible element in the Web Chat with this text. */
async function chatShows(page: Page, text: string): Promise<void> {
  await page
    .locator('#webchat')
    .getByText(text)
    .filter({ visible: true })
    .first()
    .waitFor({ timeout: 20_000 });
}

const GROUP = { timeout: 60_000 };

describe('Auskunft', GROUP, () => {
  it('shows the answer card with the catalogue fee and source, and copies the fee with one click', async (test) => {
    const { page, problems } = await openTab(test);
    await page.goto(`${lotse.origin}/staff`);
    await page.getByLabel('Anliegen des Anrufers').fill(QUESTION);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.waitForURL(/\/staff\?q=/);

    const card = page.locator(`#card-${PERSONALAUSWEIS}`);
    await expect(card.getByRole('heading', { name: 'Personalausweis' }).count()).resolves.toBe(1);
    expect(await page.locator(`#card-${PERSONALAUSWEIS}-fees`).innerText()).toContain(FEE);
    const source = page.locator(`#card-${PERSONALAUSWEIS}-source a`).first();
    expect(await source.getAttribute('href')).toContain(PERSONALAUSWEIS);
    expect(await page.locator(`#card-${PERSONALAUSWEIS}-documents`).innerText()).toBe(
      'Im Katalog keine Angabe',
    );

    await clearClipboard(page);
    await card.getByRole('button', { name: 'Kopieren: Gebühren' }).click();
    await expect.poll(() => clipboard(page)).toContain(FEE);
    await page.locator('[aria-live]').filter({ hasText: 'Kopiert' }).first().waitFor();

    await card.getByRole('button', { name: 'Alles kopieren: Personalausweis' }).click();
    await expect.poll(() => clipboard(page)).toMatch(/^Personalausweis\n\nGebühren:\n/);
    expect(await clipboard(page)).toContain('Unterlagen:\nIm Katalog keine Angabe');
    expect(problems).toEqual({ errors: [], csp: [] });
  });

  it('says honestly when the catalogue has no answer', async (test) => {
    const { page } = await openTab(test);
    await page.goto(`${lotse.origin}/staff?q=${encodeURIComponent('Wie wird das Wetter morgen?')}`);
    await page.getByText('Dazu hat der Katalog keine sichere Antwort.').waitFor();
    expect(await page.locator('.answer-card').count()).toBe(0);
    expect(await page.locator('.candidates a').count()).toBeGreaterThan(0);
  });

  it('works with the keyboard alone: search, move to the card, copy a fact', async (test) => {
    const { page } = await openTab(test);
    await page.goto(`${lotse.origin}/staff`);
    // The search box has the focus on the start page: typing is the first thing to do.
    expect(await focused(page)).toMatch(/^input#assist-q/);
    await page.keyboard.type(QUESTION);
    await Promise.all([page.waitForURL(/\/staff\?q=/), page.keyboard.press('Enter')]);
    // After the search the focus is on the result's heading, so Tab goes on into the cards.
    await expect.poll(() => focused(page)).toMatch(/^h2#results-heading Ergebnis für/);
    await pressUntilFocused(page, 'Tab', /^a# Personalausweis$/);
    await clearClipboard(page);
    await pressUntilFocused(page, 'Tab', /^button# Kopieren: Gebühren/);
    await page.keyboard.press('Enter');
    await expect.poll(() => clipboard(page)).toContain(FEE);
  });

  it('has no WCAG 2.1 A/AA violations (axe-core), before and after a search', async (test) => {
    const { page } = await openTab(test);
    await page.goto(`${lotse.origin}/staff`);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${lotse.origin}/staff?q=${encodeURIComponent(QUESTION)}`);
    await page.locator(`#card-${PERSONALAUSWEIS}`).waitFor();
    const { violations, results } = await axeScan(page);
    expect(violations).toEqual([]);
    expect(results.passes.length).toBeGreaterThan(10);
    await page.goto(`${lotse.origin}/staff?q=${encodeURIComponent('Wie wird das Wetter morgen?')}`);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('Antrag aufnehmen', GROUP, () => {
  it('opens the chosen flow in Web Chat, entered by the agent, and continues it after a reload', async (test) => {
    const { page, problems } = await openTab(test);
    await page.goto(`${lotse.origin}/staff/apply`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /Kinderleicht zum Kindergeld/ }).click();
    await page.waitForURL(/\/staff\/apply\?flow=kindergeld$/);
    await page.getByText('Sie nehmen diesen Antrag für einen Anrufer auf.').waitFor();

    await chatShows(page, 'Gern helfe ich Ihnen beim Antrag „Kinderleicht zum Kindergeld“');
    await chatShows(page, 'Wie ist Ihr vollständiger Name?');
    const raw = await page.evaluate(
      (key) => (globalThis as unknown as PageGlobals).sessionStorage.getItem(key),
      APPLY_STORAGE_KEY,
    );
    const { conversationId } = JSON.parse(raw ?? '{}') as { conversationId?: string };
    expect(conversationId).toBeTruthy();
    const conversation = await lotse.stores.transcripts.getConversation(conversationId ?? '');
    expect(conversation).toMatchObject({ enteredBy: USERNAME });
    expect(conversation?.userId).toMatch(/^staff-/);

    expect(await axeViolations(page)).toEqual([]);

    // The flow goes on in the same conversation after a reload, without starting again.
    await page.reload();
    await chatShows(page, 'Wie ist Ihr vollständiger Name?');
    const sendBox = page.locator('#webchat').getByRole('textbox');
    await sendBox.fill('Erika Mustermann');
    await sendBox.press('Enter');
    await chatShows(page, 'steuerliche Identifikationsnummer');
    const { activities } = await lotse.stores.transcripts.list(conversationId ?? '', 0, 100);
    const sent = activities.filter((a) => a.type === 'message' && a.from?.role === 'user');
    expect(sent.map((a) => a.value ?? a.text)).toEqual([
      { action: 'start-flow', flowId: 'kindergeld' },
      'Erika Mustermann',
    ]);
    expect(problems).toEqual({ errors: [], csp: [] });
  });
});
