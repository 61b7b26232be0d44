/**
 * The web chat page in a real browser (Debian's Chromium) against a real Lotse server: asking
 * and answering, resuming after a reload and after token expiry, the language switch,
 * accessibility (axe-core, WCAG 2.1 A/AA) and keyboard-only use. One browser and one browser
 * context for the file (Web Chat's bundle is parsed once, then cached); each test opens its own
 * tab, and sessionStorage, where the page keeps its conversation, belongs to one tab.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { openKnowledge } from '../../knowledge/knowledge-base.js';
import { launchChromium, type RunningLotse, startLotse } from './harness.js';
import { axeScan, axeViolations, type Problems, watchProblems } from './page-checks.js';

const GREETING = 'Guten Tag! Ich bin Lotse';
const QUESTION = 'Was kostet ein Personalausweis?';
const FEE = '27,60 Euro';
/** The Munich catalogue id of "Personalausweis"; the answer's source link names it. */
const SOURCE_ID = '1063441';
const STORAGE_KEY = 'lotse.webchat';

let browser: Browser;
let lotse: RunningLotse;
/** Tokens live 5 s here, so tests can wait for them to expire. */
let shortLived: RunningLotse;
let context: BrowserContext;
let knowledgeDir: string;

beforeAll(async () => {
  knowledgeDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-knowledge-'));
  const knowledge = await openKnowledge({ dataDir: knowledgeDir, persistSnapshot: false });
  lotse = await startLotse(knowledge);
  shortLived = await startLotse(knowledge, {
    LOTSE_TOKEN_TTL_SECONDS: '5',
    LOTSE_TOKEN_RATE_LIMIT: '600',
  });
  browser = await launchChromium();
  context = await browser.newContext();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([lotse?.close(), shortLived?.close()]);
  rmSync(knowledgeDir, { recursive: true, force: true });
});

/**
 * The few browser globals the functions run inside the page use (the project compiles without
 * the DOM library, and these functions are serialised into the page anyway).
 */
interface PageGlobals {
  sessionStorage: { getItem(key: string): string | null };
  document: {
    activeElement: {
      tagName: string;
      id: string;
      textContent: string | null;
      getAttribute(name: string): string | null;
      closest(selector: string): object | null;
    } | null;
  };
}

interface Chat {
  page: Page;
  problems: Problems;
  /** Every Direct Line token the page was given, oldest first. */
  tokens: () => Promise<string[]>;
}

/**
 * Opens the page in a new tab, closed when the test ends, and waits for the bot's greeting.
 * `prepare` runs before the page loads (to intercept requests, say).
 */
async function openChat(
  test: TestContext,
  server: RunningLotse,
  prepare?: (page: Page) => Promise<void>,
): Promise<Chat> {
  const page = await context.newPage();
  test.onTestFinished(() => page.close());
  await prepare?.(page);
  const problems = await watchProblems(page);
  const tokens: string[] = [];
  const reading: Promise<void>[] = [];
  page.on('response', (response) => {
    const url = response.url();
    const issuesTokens =
      url.endsWith('/api/webchat/token') || /\/v3\/directline\/(conversations|tokens)/.test(url);
    if (!issuesTokens || !response.ok() || response.request().method() === 'OPTIONS') return;
    reading.push(
      response
        .json()
        .then((body: { token?: unknown }) => {
          if (typeof body.token === 'string') tokens.push(body.token);
        })
        .catch(() => undefined),
    );
  });
  await page.goto(`${server.origin}/`);
  await shown(page, GREETING);
  return {
    page,
    problems,
    tokens: async () => {
      await Promise.all(reading);
      return [...tokens];
    },
  };
}

/** The first visible element with this text (Web Chat repeats texts in a hidden live region). */
function visibleText(page: Page, text: string): Locator {
  return page.locator('#webchat').getByText(text).filter({ visible: true }).first();
}

async function shown(page: Page, text: string): Promise<void> {
  try {
    await visibleText(page, text).waitFor({ timeout: 20_000 });
  } catch (error) {
    // Say what the page shows instead: the end of the transcript and the status line.
    const chat = (
      await page
        .locator('#webchat')
        .innerText()
        .catch(() => '')
    ).slice(-600);
    const status = await page
      .locator('#status')
      .textContent()
      .catch(() => '');
    throw new Error(`"${text}" not shown; status "${status}"; chat ends with:\n${chat}`, {
      cause: error,
    });
  }
}

/** Web Chat's send box: the only text box in the chat. */
function sendBox(page: Page): Locator {
  return page.locator('#webchat').getByRole('textbox');
}

async function ask(page: Page, question: string): Promise<void> {
  await sendBox(page).fill(question);
  await sendBox(page).press('Enter');
}

/** The conversation the page keeps in sessionStorage. */
async function stored(page: Page): Promise<{ conversationId?: string; resume?: string }> {
  const raw = await page.evaluate(
    (key) => (globalThis as unknown as PageGlobals).sessionStorage.getItem(key),
    STORAGE_KEY,
  );
  return raw ? (JSON.parse(raw) as { conversationId?: string; resume?: string }) : {};
}

/** What the server has recorded the user saying in a conversation. */
async function userTexts(server: RunningLotse, conversationId: string): Promise<string[]> {
  const { activities } = await server.stores.transcripts.list(conversationId, 0, 500);
  return activities
    .filter((a) => a.type === 'message' && a.from?.role === 'user')
    .map((a) => a.text ?? '');
}

/** The HTTP status Direct Line gives a token now: 200 while it is valid, 403 once it expired. */
async function tokenStatus(server: RunningLotse, conversationId: string, token: string) {
  const response = await fetch(
    `${server.origin}/v3/directline/conversations/${conversationId}/activities`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  return response.status;
}

/** Waits until every token the page was given so far has expired on the server. */
async function allTokensExpired(chat: Chat, server: RunningLotse, conversationId: string) {
  const tokens = await chat.tokens();
  const newest = tokens.at(-1);
  expect(newest).toBeDefined();
  await expect
    .poll(() => tokenStatus(server, conversationId, newest ?? ''), { timeout: 10_000 })
    .toBe(403);
}

/**
 * Description of the focused element, for keyboard assertions: `tag#id name`, prefixed with
 * `toolbar ` inside a toolbar (Web Chat's suggested actions are one).
 */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as PageGlobals).document.activeElement;
    if (!el) return '';
    const name = (el.getAttribute('aria-label') ?? el.textContent ?? '')
      .trim()
      .replace(/\s+/g, ' ');
    const where = el.closest('[role="toolbar"]') ? 'toolbar ' : '';
    return `${where}${el.tagName.toLowerCase()}#${el.id} ${name}`;
  });
}

/** Presses `key` until the focused element matches, at most `limit` times. */
async function pressUntilFocused(page: Page, key: string, matches: RegExp, limit = 15) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    if (matches.test(await focused(page))) return;
  }
  throw new Error(`${key} never reached ${matches}; focus is on "${await focused(page)}"`);
}

/**
 * Moves the focus back (Shift+Tab) into the suggested actions of the latest answer, then with the
 * arrow keys (one Tab stop per toolbar) to the action with this name.
 */
async function focusSuggestedAction(page: Page, name: RegExp) {
  await pressUntilFocused(page, 'Shift+Tab', /^toolbar button/);
  if (name.test(await focused(page))) return;
  for (const key of ['ArrowRight', 'ArrowLeft']) {
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press(key);
      if (name.test(await focused(page))) return;
    }
  }
  throw new Error(`no suggested action ${name}; focus is on "${await focused(page)}"`);
}

// Tests run concurrently within a group (each in its own tab), groups one after the other, so
// that no more than three pages load Web Chat at once on a two-core machine.
const GROUP = { timeout: 60_000 };

describe.concurrent('asking and resuming after a reload', GROUP, () => {
  it('answers a question sent with Enter with the fee and a link to the source', async (test) => {
    const { page, problems } = await openChat(test, lotse);
    await ask(page, QUESTION);
    await shown(page, FEE);
    const source = page.locator(`#webchat a[href*="${SOURCE_ID}"]`).first();
    await source.waitFor({ state: 'attached' });
    expect(await source.getAttribute('href')).toContain(SOURCE_ID);
    expect(problems).toEqual({ errors: [], csp: [] });
  });

  it('shows the history again after a reload and answers a follow-up in the same conversation', async (test) => {
    const { page, problems } = await openChat(test, lotse);
    await ask(page, QUESTION);
    await shown(page, FEE);
    const before = await stored(page);
    expect(before.conversationId).toBeTruthy();

    await page.reload();
    await shown(page, QUESTION);
    await shown(page, FEE);
    expect((await stored(page)).conversationId).toBe(before.conversationId);

    // "Wo ist das?" only makes sense in the conversation about the Personalausweis.
    await ask(page, 'Wo ist das?');
    await shown(page, 'Bürgerbüro');
    expect(await userTexts(lotse, before.conversationId ?? '')).toEqual([QUESTION, 'Wo ist das?']);
    expect(problems).toEqual({ errors: [], csp: [] });
  });

  it('connects again with a fresh token when the first connection is refused', async (test) => {
    // As when the token expired while a slow page was still loading.
    let refused = 0;
    const { page, problems } = await openChat(test, lotse, async (page) => {
      await page.route(/\/v3\/directline\/conversations\/[^/?]+\?watermark=/, async (route) => {
        if (refused++ > 0) return route.continue();
        return route.fulfill({
          status: 403,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'TokenExpired', message: 'expired' } }),
        });
      });
    });
    expect(refused).toBeGreaterThanOrEqual(2);
    await ask(page, QUESTION);
    await shown(page, FEE);
    expect(await page.locator('#status').textContent()).toBe('');
    // directlinejs itself throws the refused request as an uncaught "ajax error 403", whatever
    // the page does; only the CSP must stay quiet.
    expect(problems.csp).toEqual([]);
  });
});

describe.concurrent('token expiry', GROUP, () => {
  it('answers a question sent after the page slept past the expiry of its token', async (test) => {
    const chat = await openChat(test, shortLived);
    const { page } = chat;
    const { conversationId = '' } = await stored(page);
    // A frozen page runs no timers, as a background tab or a sleeping laptop.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    await allTokensExpired(chat, shortLived, conversationId);
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });

    await ask(page, QUESTION);
    await shown(page, FEE);
    expect((await stored(page)).conversationId).toBe(conversationId);
    expect(await userTexts(shortLived, conversationId)).toEqual([QUESTION]);
    expect(chat.problems).toEqual({ errors: [], csp: [] });
  });

  it('continues the same conversation when the page is reloaded after its token expired', async (test) => {
    const chat = await openChat(test, shortLived);
    const { page } = chat;
    await ask(page, QUESTION);
    await shown(page, FEE);
    const { conversationId = '' } = await stored(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    await allTokensExpired(chat, shortLived, conversationId);

    await page.reload();
    await shown(page, QUESTION);
    await shown(page, FEE);
    expect((await stored(page)).conversationId).toBe(conversationId);
    await ask(page, 'Wo ist das?');
    await shown(page, 'Bürgerbüro');
    expect(await userTexts(shortLived, conversationId)).toEqual([QUESTION, 'Wo ist das?']);
  });
});

describe.concurrent('language and accessibility', GROUP, () => {
  it('switches to English: the lang attribute, the page texts and the send box', async (test) => {
    const { page } = await openChat(test, lotse);
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.title()).toBe('Lotse – your digital guide to the city administration');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Lotse – your digital guide to the city administration',
    );
    expect(await page.getByRole('link', { name: 'Skip to the chat' }).count()).toBe(1);
    const back = page.getByRole('button', { name: 'Deutsch' });
    expect(await back.getAttribute('lang')).toBe('de');
    await page.getByPlaceholder('Your question for Lotse').waitFor();
    // The greeting stays: switching the language does not restart the conversation.
    await shown(page, GREETING);

    await page.reload();
    await page.getByPlaceholder('Your question for Lotse').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('has no WCAG 2.1 A/AA violations (axe-core) with a conversation open, in German and English', async (test) => {
    const { page } = await openChat(test, lotse);
    await ask(page, QUESTION);
    await shown(page, FEE);
    await page
      .getByRole('button', { name: /Hilfreich/ })
      .first()
      .waitFor();
    const german = await axeScan(page);
    expect(german.violations).toEqual([]);
    expect(german.results.passes.length).toBeGreaterThan(10);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByPlaceholder('Your question for Lotse').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('works with the keyboard alone: skip link, language switch, send box and suggested actions', async (test) => {
    const { page } = await openChat(test, lotse);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^a# Zum Chat springen/);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^button#language-switch English/);

    // The skip link moves the focus to the chat; from there Tab reaches the send box.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^section#chat /);
    await pressUntilFocused(page, 'Tab', /^textarea/);
    await page.keyboard.type(QUESTION);
    await page.keyboard.press('Enter');
    await shown(page, FEE);

    // Suggested actions: reachable with (Shift+)Tab, activated with Enter …
    await focusSuggestedAction(page, /^toolbar button# 👍 Hilfreich$/);
    await page.keyboard.press('Enter');
    await shown(page, 'Danke für Ihre Rückmeldung!');

    // … and with Space.
    await pressUntilFocused(page, 'Tab', /^textarea/);
    await page.keyboard.type('Wo ist das?');
    await page.keyboard.press('Enter');
    await shown(page, 'Bürgerbüro');
    await focusSuggestedAction(page, /^toolbar button# 👎 Nicht hilfreich$/);
    await page.keyboard.press('Space');
    await shown(page, 'Sie können die Frage anders stellen');
  });
});
