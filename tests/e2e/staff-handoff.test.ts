/**
 * Human handoff end to end in Debian's Chromium, with two browser contexts against one real
 * Lotse server: a citizen in Web Chat asks for a person; an agent, logged in to the console,
 * sees the request appear live, takes it, replies; the citizen reads the reply marked as from a
 * person, the agent sees the citizen's answer live; the agent resolves and the bot answers again.
 * Both console pages pass axe-core (WCAG 2.1 A/AA) and the queue works by keyboard.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDOFF_TEXTS } from '../../bot/handoff/texts.js';
import { openKnowledge } from '../../knowledge/knowledge-base.js';
import { launchChromium, type RunningLotse, startLotse } from './harness.js';
import { axeViolations } from './page-checks.js';
import { createStaff, loginStaff, type StaffLogin } from './staff.js';

const AGENT: StaffLogin = {
  username: 'anna',
  password: 'ein-langes-passwort-42',
  role: 'agent',
  displayName: 'Anna',
};

let browser: Browser;
let lotse: RunningLotse;
let citizenContext: BrowserContext;
let agentContext: BrowserContext;
let knowledgeDir: string;

beforeAll(async () => {
  knowledgeDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-knowledge-'));
  const knowledge = await openKnowledge({ dataDir: knowledgeDir, persistSnapshot: false });
  lotse = await startLotse(knowledge);
  await createStaff(lotse, AGENT);
  browser = await launchChromium();
  citizenContext = await browser.newContext();
  agentContext = await browser.newContext();
});

afterAll(async () => {
  await browser?.close();
  await lotse?.close();
  rmSync(knowledgeDir, { recursive: true, force: true });
});

/** The first visible element with this text in the citizen's chat. */
function inChat(page: Page, text: string): Locator {
  return page.locator('#webchat').getByText(text).filter({ visible: true }).first();
}

async function citizenSays(page: Page, text: string): Promise<void> {
  const box = page.locator('#webchat').getByRole('textbox');
  await box.fill(text);
  await box.press('Enter');
}

describe('a citizen handed to an agent and back', () => {
  it('runs the whole handoff across two browsers', { timeout: 120_000 }, async () => {
    // The agent opens the queue; its live stream makes them present.
    const agent = await loginStaff(agentContext, lotse, AGENT, '/staff/handoffs');
    await agent.locator('html[data-live="ready"]').waitFor({ timeout: 10_000 });
    expect(await agent.getByText('Niemand wartet.').isVisible()).toBe(true);
    expect(await axeViolations(agent)).toEqual([]);

    // The citizen asks for a person and learns their place in the queue.
    const citizen = await citizenContext.newPage();
    await citizen.goto(`${lotse.origin}/`);
    await inChat(citizen, 'Guten Tag! Ich bin Lotse').waitFor({ timeout: 20_000 });
    await citizenSays(citizen, 'Was kostet ein Reisepass?');
    await inChat(citizen, 'Reisepass').waitFor({ timeout: 20_000 });
    await citizenSays(citizen, 'Ich möchte mit einem Mitarbeiter sprechen');
    await inChat(citizen, 'Platz 1').waitFor({ timeout: 20_000 });

    // The request appears in the agent's queue without a reload; taken by keyboard.
    const take = agent.getByRole('button', { name: /^Übernehmen/ });
    await take.waitFor({ timeout: 20_000 });
    await take.focus();
    await agent.keyboard.press('Enter');
    await agent.waitForURL(/\/staff\/handoffs\/[0-9a-f-]{36}/, { waitUntil: 'commit' });
    await agent.locator('html[data-live="ready"]').waitFor({ timeout: 10_000 });
    // The transcript and the service in context.
    await agent.getByText('Ich möchte mit einem Mitarbeiter sprechen').first().waitFor();
    expect(await agent.locator('#context-heading + dl').innerText()).toContain('Reisepass');
    expect(await axeViolations(agent)).toEqual([]);

    await inChat(citizen, HANDOFF_TEXTS.de.agentJoined('Anna').replace(/\*\*/g, '')).waitFor({
      timeout: 20_000,
    });

    // The agent replies; the citizen reads it as from a person.
    await agent
      .getByLabel('Antwort an die Bürgerin oder den Bürger')
      .fill('Guten Tag, hier ist Anna. Wie kann ich helfen?');
    await agent.getByRole('button', { name: 'Senden' }).click();
    await inChat(citizen, 'Guten Tag, hier ist Anna. Wie kann ich helfen?').waitFor({
      timeout: 20_000,
    });
    expect(await inChat(citizen, 'Anna (Service-Team):').isVisible()).toBe(true);

    // The citizen answers; the bot keeps quiet and the agent sees it live.
    await citizenSays(citizen, 'Wie lange dauert ein Reisepass?');
    await agent
      .locator('#transcript')
      .getByText('Wie lange dauert ein Reisepass?')
      .waitFor({ timeout: 20_000 });

    // The agent resolves; the bot answers again.
    await agent.getByRole('button', { name: 'Gespräch beenden' }).click();
    await agent.waitForURL(/\/staff\/handoffs\?notice=resolved$/, { waitUntil: 'commit' });
    await inChat(citizen, 'Ab jetzt antworte wieder ich').waitFor({ timeout: 20_000 });
    await citizenSays(citizen, 'Was kostet ein Personalausweis?');
    await inChat(citizen, '27,60 Euro').waitFor({ timeout: 20_000 });

    // The bot did not answer the question asked while Anna held the conversation.
    const page = await lotse.stores.transcripts.list(
      (await lotse.stores.handoffs.list({ statuses: ['resolved'] }))[0]!.conversationId,
      0,
      500,
    );
    const texts = page.activities.map((a) => a.text ?? '');
    const asked = texts.indexOf('Wie lange dauert ein Reisepass?');
    expect(asked).toBeGreaterThan(0);
    expect(texts[asked + 1]).toContain('hat das Gespräch beendet');
  });
});
