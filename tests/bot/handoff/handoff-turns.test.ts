/**
 * The citizen's side of a handoff, through the bot (botbuilder's TestAdapter, real SQLite stores):
 * queue place or the 115 number, leaving contact details, silence while an agent holds the
 * conversation, and answers again after the agent resolves.
 */
import { ConversationState, TestAdapter, type Activity } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HandoffActor } from '../../../bot/handoff/handoff-service.js';
import { HANDOFF_TEXTS } from '../../../bot/handoff/texts.js';
import { LotseBot } from '../../../bot/lotse-bot.js';
import { loadDemoCatalogue } from '../../../knowledge/catalogue.js';
import { loadSynonyms } from '../../../knowledge/knowledge-base.js';
import { ServiceSearch } from '../../../knowledge/search/searcher.js';
import { openStores, type Stores } from '../../../storage/open-store.js';
import { handoffDesk, type Desk } from './desk.js';

const anna: HandoffActor = { username: 'anna', role: 'agent', displayName: 'Anna' };

let search: ServiceSearch;
let stores: Stores;
let desk: Desk;
let adapter: TestAdapter;
let conversationId: string;

beforeAll(() => {
  search = ServiceSearch.create(loadDemoCatalogue(), { synonyms: loadSynonyms() }).search;
});

beforeEach(async () => {
  stores = await openStores({ dataDir: ':memory:' });
  desk = handoffDesk(stores, () => new Date());
  const bot = new LotseBot({
    search,
    conversationState: new ConversationState(stores.state),
    feedback: stores.feedback,
    handoffs: desk.service,
  });
  adapter = new TestAdapter((context) => bot.run(context));
  conversationId = `conv-${Math.random().toString(36).slice(2)}`;
  adapter.conversation.conversation.id = conversationId;
});
afterAll(() => stores?.close());

async function say(text: string, value?: unknown): Promise<Partial<Activity>[]> {
  await adapter.send({ type: 'message', text, ...(value ? { value } : {}) });
  const replies: Partial<Activity>[] = [];
  while (adapter.activeQueue.length) replies.push(adapter.activeQueue.shift()!);
  return replies;
}

const agentOnline = () =>
  desk.service.heartbeat({ username: 'anna', status: 'available', departments: [] });

describe('asking for a person', () => {
  it('gives the queue place when an agent is online, and the same place when asked again', async () => {
    await agentOnline();
    const [reply] = await say('Ich möchte mit einem Menschen sprechen');
    expect(reply?.text).toBe(HANDOFF_TEXTS.de.queued(1));
    const [again] = await say('Mitarbeiter sprechen');
    expect(again?.text).toBe(HANDOFF_TEXTS.de.stillQueued(1));
  });

  it('offers 115 and a call back when nobody is online, and keeps the request queued', async () => {
    const [reply] = await say('talk to a person');
    expect(reply?.text).toBe(HANDOFF_TEXTS.en.noAgentOnline);
    const actions = reply?.suggestedActions?.actions ?? [];
    expect(actions.map((a) => [a.type, a.value])).toEqual([
      ['messageBack', { action: 'leave-contact' }],
      ['openUrl', 'tel:115'],
    ]);
    expect((await desk.service.openFor(conversationId))?.status).toBe('pending');
  });

  it('takes a phone number for a call back after a wrong entry', async () => {
    await say('Mitarbeiter sprechen');
    const [ask] = await say(HANDOFF_TEXTS.de.leaveContact, { action: 'leave-contact' });
    expect(ask?.text).toBe(HANDOFF_TEXTS.de.askContact);
    const [wrong] = await say('morgen vielleicht');
    expect(wrong?.text).toBe(HANDOFF_TEXTS.de.contactInvalid);
    const [saved] = await say('089 1234567');
    expect(saved?.text).toContain('+49 89 1234567');
    expect((await desk.service.openFor(conversationId))?.contact).toBe('+49891234567');
    const [next] = await say('Was kostet ein Personalausweis?');
    expect(next?.text).toContain('**Personalausweis**');
  });

  it('says so when the request closed before the contact came', async () => {
    await say('Mitarbeiter sprechen');
    await say(HANDOFF_TEXTS.de.leaveContact, { action: 'leave-contact' });
    const open = await desk.service.openFor(conversationId);
    await desk.service.reject(open!.id, anna, '');
    const [reply] = await say('name@beispiel.de');
    expect(reply?.text).toBe(HANDOFF_TEXTS.de.contactTooLate);
  });

  it('gives up on contact details after three wrong entries and points to 115', async () => {
    await say('Mitarbeiter sprechen');
    await say(HANDOFF_TEXTS.de.leaveContact, { action: 'leave-contact' });
    await say('weiß nicht');
    await say('keine Ahnung');
    const [last] = await say('später vielleicht');
    expect(last?.text).toBe(HANDOFF_TEXTS.de.contactGiveUp);
    expect((await desk.service.openFor(conversationId))?.contact).toBeUndefined();
  });
});

describe('while an agent holds the conversation', () => {
  it('stays silent and relays the citizen’s words; answers again after resolve', async () => {
    await agentOnline();
    await say('Mitarbeiter sprechen');
    const open = await desk.service.openFor(conversationId);
    await desk.service.assign(open!.id, anna);

    expect(await say('Was kostet ein Personalausweis?')).toEqual([]);
    expect(desk.notices.at(-1)).toMatchObject({
      type: 'handoff-message',
      conversationId,
      message: { from: 'citizen', text: 'Was kostet ein Personalausweis?' },
    });
    expect(await say('Hilfe')).toEqual([]);
    const heard = desk.notices.length;
    expect(await say('', { action: 'feedback', rating: 'up', answerId: 'x' })).toEqual([]);
    expect(desk.notices.length).toBe(heard);

    await desk.service.resolve(open!.id, anna);
    const [answer] = await say('Was kostet ein Personalausweis?');
    expect(answer?.text).toContain('**Personalausweis**');
  });
});
