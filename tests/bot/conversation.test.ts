/**
 * Conversations through the bot, turn by turn, with botbuilder's TestAdapter and the real SQLite
 * stores: answers by facet with the source, follow-ups, choices, no match, language, commands,
 * feedback and handoff requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationState, TestAdapter, type Activity } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LotseBot } from '../../bot/lotse-bot.js';
import { BOT_TEXTS } from '../../bot/texts.js';
import { loadDemoCatalogue } from '../../knowledge/catalogue.js';
import { loadSynonyms } from '../../knowledge/knowledge-base.js';
import { ServiceSearch } from '../../knowledge/search/searcher.js';
import { handoffDesk } from './handoff/desk.js';
import { HANDOFF_TEXTS } from '../../bot/handoff/texts.js';
import { openStores, type Stores } from '../../storage/open-store.js';

let search: ServiceSearch;
let stores: Stores;
let dataDir: string;
let adapter: TestAdapter;

beforeAll(async () => {
  search = ServiceSearch.create(loadDemoCatalogue(), { synonyms: loadSynonyms() }).search;
  dataDir = mkdtempSync(join(tmpdir(), 'lotse-bot-'));
  stores = await openStores({ dataDir });
});
afterAll(async () => {
  await stores.close();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  const bot = new LotseBot({
    search,
    conversationState: new ConversationState(stores.state),
    feedback: stores.feedback,
    handoffs: handoffDesk(stores, () => new Date()).service,
  });
  adapter = new TestAdapter((context) => bot.run(context));
  adapter.conversation.conversation.id = `conv-${Math.random().toString(36).slice(2)}`;
});

/** Sends one message (or button value) and returns the bot's replies of that turn. */
async function say(text: string, value?: unknown): Promise<Partial<Activity>[]> {
  await adapter.send({ type: 'message', text, ...(value ? { value } : {}) });
  const replies: Partial<Activity>[] = [];
  while (adapter.activeQueue.length) replies.push(adapter.activeQueue.shift()!);
  return replies;
}

function titles(reply: Partial<Activity>): string[] {
  return (reply.suggestedActions?.actions ?? []).map((a) => a.title ?? '');
}

describe('answers', () => {
  it('answers a fee question with the catalogue fee text and the source link', async () => {
    const [reply] = await say('Was kostet ein Personalausweis?');
    expect(reply?.text).toContain('**Personalausweis**');
    expect(reply?.text).toContain('27,60 Euro');
    expect(reply?.text).toMatch(
      /Quelle: \[Personalausweis – Landeshauptstadt München\]\(https:\/\/[^)]*1063441\)/,
    );
    expect(titles(reply!)).toEqual(
      expect.arrayContaining([BOT_TEXTS.de.feedbackUp, BOT_TEXTS.de.feedbackDown]),
    );
  });

  it('follows up on the service in context', async () => {
    await say('Ich möchte einen Reisepass beantragen');
    const [fees] = await say('Und was kostet das?');
    expect(fees?.text).toContain('**Reisepass**');
    expect(fees?.text).toMatch(/Euro/);
    const [where] = await say('Wo ist das?');
    expect(where?.text).toContain('Bürgerbüro');
    const [online] = await say('Kann ich das online machen?');
    expect(online?.text).toContain('Termin buchen');
  });

  it('offers close candidates to choose from, and answers the chosen one', async () => {
    const [reply] = await say('Eheschließung anmelden');
    const choices = reply!.suggestedActions!.actions.filter(
      (a) => (a.value as { action?: string })?.action === 'choose',
    );
    expect(choices.length).toBeGreaterThan(0);
    const chosen = choices[0]!;
    const [answer] = await say(chosen.title!, chosen.value);
    expect(answer?.text).toContain(`**${chosen.title}**`);
  });

  it('says honestly when nothing matches, with the 115 number and a way to a person', async () => {
    const [reply] = await say('Wie wird das Wetter morgen?');
    expect(reply?.text).toContain(BOT_TEXTS.de.noMatch);
    expect(reply?.text).toContain('115');
    expect(titles(reply!)).toContain(BOT_TEXTS.de.talkToHuman);
  });

  it('replies in English to English questions and back in German to German ones', async () => {
    const [en] = await say('How much does a passport cost?');
    expect(en?.text).toContain('Source:');
    expect(en?.locale).toBe('en-GB');
    const [de] = await say('Was kostet ein Führungszeugnis?');
    expect(de?.text).toContain('Quelle:');
  });
});

describe('commands', () => {
  it('greets a new user with what Lotse can do', async () => {
    await adapter.send({
      type: 'conversationUpdate',
      membersAdded: [{ id: 'user1', name: 'User' }],
      recipient: { id: 'bot', name: 'Lotse' },
    } as Partial<Activity>);
    const reply = adapter.activeQueue.shift();
    expect(reply?.text).toBe(BOT_TEXTS.de.welcome);
  });

  it('shows help and restarts the conversation, forgetting the service in context', async () => {
    expect((await say('Hilfe'))[0]?.text).toBe(BOT_TEXTS.de.help);
    await say('Reisepass beantragen');
    expect((await say('Neustart'))[0]?.text).toBe(BOT_TEXTS.de.restarted);
    const [after] = await say('Und was kostet das?');
    expect(after?.text).not.toContain('**Reisepass**');
  });

  it('records a request to talk to a person and says how to reach one', async () => {
    const [reply] = await say('Ich möchte mit einem Mitarbeiter sprechen');
    expect(reply?.text).toBe(HANDOFF_TEXTS.de.noAgentOnline);
    const open = await stores.handoffs.openFor(adapter.conversation.conversation.id);
    expect(open).toMatchObject({ reason: 'user-request', status: 'pending', channel: 'test' });
  });

  it('records a handoff after repeated failure to understand', async () => {
    await say('blorf quux');
    await say('zzzz yyyy');
    const [third] = await say('qwertz asdf');
    expect(third?.text).toContain(BOT_TEXTS.de.handoffOffer);
    const open = await stores.handoffs.openFor(adapter.conversation.conversation.id);
    expect(open?.reason).toBe('repeated-failure');
  });

  it('stores thumbs-up and thumbs-down feedback per answer', async () => {
    const [answer] = await say('Führungszeugnis beantragen');
    const down = answer!.suggestedActions!.actions.find(
      (a) => a.title === BOT_TEXTS.de.feedbackDown,
    )!;
    const [thanks] = await say(down.title!, down.value);
    expect(thanks?.text).toBe(BOT_TEXTS.de.feedbackSorry);
    const records = await stores.feedback.list();
    expect(records).toContainEqual(
      expect.objectContaining({
        conversationId: adapter.conversation.conversation.id,
        rating: 'down',
        serviceId: '1063565',
      }),
    );
  });
});
