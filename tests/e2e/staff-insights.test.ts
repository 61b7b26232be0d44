/**
 * The insights page in Debian's Chromium against a real Lotse server, with data in every
 * section: axe-core finds no WCAG 2.1 A/AA violation (charts, tables, forms), no script or style
 * is blocked by the console's CSP, and the period selector, the CSV links and the retry buttons
 * are reached and used with the keyboard alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { questionGroupKey } from '../../bot/insights/group-key.js';
import { redactQuestion } from '../../bot/insights/redact.js';
import { openKnowledge } from '../../knowledge/knowledge-base.js';
import { launchChromium, type RunningLotse, startLotse } from './harness.js';
import { axeViolations, watchProblems } from './page-checks.js';
import { createStaff, loginStaff, type StaffLogin } from './staff.js';

const ADMIN: StaffLogin = {
  username: 'adam',
  password: 'ein-langes-passwort-42',
  role: 'admin',
  displayName: 'Adam',
};
const EDITOR: StaffLogin = {
  username: 'erika',
  password: 'ein-anderes-passwort-42',
  role: 'editor',
};
const PERSONALAUSWEIS = '1063441';

let browser: Browser;
let lotse: RunningLotse;
let knowledgeDir: string;
let deadReceipt: string;

async function fill(lotse: RunningLotse): Promise<void> {
  const { insights, feedback, outbox } = lotse.stores;
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const questions: [string, 'abstained' | 'low-confidence', string | undefined][] = [
    ['Hundesteuer zahlen', 'abstained', undefined],
    ['zahle Hundesteuer, Tel 0171 1234567', 'low-confidence', PERSONALAUSWEIS],
    ['Wie wird das Wetter morgen?', 'abstained', undefined],
  ];
  for (const [i, [text, outcome, serviceId]] of questions.entries()) {
    await insights.recordQuestion({
      text: redactQuestion(text),
      groupKey: questionGroupKey(text),
      language: 'de',
      outcome,
      confidence: 0.3,
      ...(serviceId ? { serviceId } : {}),
      createdAt: at(60 - i),
    });
  }
  for (const [i, rating] of (['up', 'down', 'down'] as const).entries()) {
    await feedback.record({
      conversationId: `c${i}`,
      activityId: `a${i}`,
      serviceId: PERSONALAUSWEIS,
      facet: 'fees',
      rating,
      createdAt: at(30),
    });
  }
  for (const run of ['r1', 'r2', 'r3']) {
    await insights.recordFlowEvent({
      runId: run,
      flow: 'maengelmeldung',
      event: 'started',
      createdAt: at(20),
    });
    await insights.recordFlowEvent({
      runId: run,
      flow: 'maengelmeldung',
      event: 'step',
      detail: 'category',
      createdAt: at(19),
    });
  }
  await insights.recordFlowEvent({
    runId: 'r1',
    flow: 'maengelmeldung',
    event: 'completed',
    createdAt: at(18),
  });
  const dead = await outbox.enqueue({ flow: 'maengelmeldung', connector: 'open311', payload: {} });
  await outbox.markDead(dead.id, 'HTTP 500 from backend');
  deadReceipt = dead.receipt;
}

beforeAll(async () => {
  knowledgeDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-knowledge-'));
  const knowledge = await openKnowledge({ dataDir: knowledgeDir, persistSnapshot: false });
  lotse = await startLotse(knowledge);
  await createStaff(lotse, ADMIN);
  await createStaff(lotse, EDITOR);
  await fill(lotse);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await lotse?.close();
  rmSync(knowledgeDir, { recursive: true, force: true });
});

/** Logs in in a fresh browser context (closed when the test ends) and opens the insights. */
async function openInsights(login: StaffLogin): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close());
  return loginStaff(context, lotse, login, '/staff/insights');
}

/** What has focus: tag, id, name or href, and text. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: Element | null } }).document
      .activeElement;
    if (!el) return '';
    const attr = (name: string) => el.getAttribute(name) ?? '';
    return `${el.tagName.toLowerCase()}#${attr('id')} ${attr('href')} ${(el.textContent ?? '').replace(/\s+/g, ' ').trim()}`;
  });
}

interface Element {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}

/** Tabs through the page from the top, collecting what gets focus, until `until` or 60 stops. */
async function tabThrough(page: Page, until: (stop: string) => boolean): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const stop = await focused(page);
    stops.push(stop);
    if (until(stop)) break;
  }
  return stops;
}

describe('the insights page', () => {
  it(
    'has no WCAG 2.1 A/AA violations with data in every section, as admin and editor',
    { timeout: 60_000 },
    async () => {
      for (const login of [ADMIN, EDITOR]) {
        const page = await openInsights(login);
        const problems = await watchProblems(page, { consoleErrors: true });
        await page.getByRole('heading', { name: 'Unbeantwortete Fragen' }).waitFor();
        expect(await page.locator('svg[role="img"]').count()).toBe(3);
        expect(
          await page.getByRole('rowheader', { name: 'zahle Hundesteuer, Tel [Telefon]' }).count(),
        ).toBe(1);
        expect(await page.getByRole('button', { name: /^Erneut senden/ }).count()).toBe(
          login.role === 'admin' ? 1 : 0,
        );
        expect(await axeViolations(page)).toEqual([]);
        expect(problems).toEqual({ errors: [], csp: [] });
      }
    },
  );

  it(
    'reaches the period selector and every CSV link by keyboard, and changes the period',
    { timeout: 60_000 },
    async () => {
      const page = await openInsights(ADMIN);
      const stops = await tabThrough(page, (stop) => stop.includes('dead-letters.csv'));
      expect(stops.some((s) => s.startsWith('select#insights-days'))).toBe(true);
      for (const file of [
        'unanswered.csv?days=30',
        'feedback.csv?days=30',
        'funnels.csv?days=30',
        'dead-letters.csv',
      ]) {
        expect(stops.some((s) => s.includes(`/staff/insights/${file}`))).toBe(true);
      }
      // Choose "Letzte 90 Tage" and show it, keyboard only.
      await page.locator('#insights-days').focus();
      await page.keyboard.press('End');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toContain('Anzeigen');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('days') === '90');
      expect(await page.locator('#insights-days').inputValue()).toBe('90');

      // A CSV link downloads the file.
      const link = page.getByRole('link', { name: 'Unbeantwortete Fragen als CSV herunterladen' });
      await link.focus();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.keyboard.press('Enter'),
      ]);
      expect(download.suggestedFilename()).toBe('unbeantwortete-fragen-90-tage.csv');
    },
  );

  it('lets an admin send a dead submission again by keyboard', { timeout: 60_000 }, async () => {
    const page = await openInsights(ADMIN);
    await page.getByRole('button', { name: `Erneut senden – Antrag ${deadReceipt}` }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('requeued') === deadReceipt);
    expect(await page.locator('main [role="status"]').innerText()).toBe(
      `Antrag ${deadReceipt} wird erneut gesendet.`,
    );
    expect((await lotse.stores.outbox.get(deadReceipt))?.status).toBe('pending');
    expect(await axeViolations(page)).toEqual([]);
  });
});
