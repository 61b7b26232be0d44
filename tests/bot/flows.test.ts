/**
 * Applications in dialog through the bot, with the real SQLite stores and outbox: opening a flow
 * by asking or from an answer's offer, corrections and a question in between, the receipt, the
 * submission in the outbox, resume after a restart, cancel, and expiry; applications staff enter
 * for a caller; and the funnel events editors see.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationState, TestAdapter, type Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowTurns } from '../../bot/flow-turns.js';
import { LotseBot } from '../../bot/lotse-bot.js';
import { sqlSubmissions } from '../../bot/submissions.js';
import { FlowRegistry } from '../../flows/registry.js';
import { loadDemoCatalogue } from '../../knowledge/catalogue.js';
import { loadSynonyms } from '../../knowledge/knowledge-base.js';
import { ServiceSearch } from '../../knowledge/search/searcher.js';
import { handoffDesk } from './handoff/desk.js';
import { openStores, type Stores } from '../../storage/open-store.js';

let search: ServiceSearch;
let stores: Stores;
let dataDir: string;
let clock = new Date('2026-11-28T10:00:00Z');
/** Conversations staff opened for a caller, by id, with the staff username. */
const staffConversations = new Map<string, string>();

beforeAll(async () => {
  search = ServiceSearch.create(loadDemoCatalogue(), { synonyms: loadSynonyms() }).search;
  dataDir = mkdtempSync(join(tmpdir(), 'lotse-bot-flows-'));
  stores = await openStores({ dataDir });
});
afterAll(async () => {
  await stores.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Users whose erasure the bot asked for ("Daten löschen"), in order. */
const erased: string[] = [];

/** A bot as the server builds it; a new one per "process start", sharing the stores. */
function newBot(): LotseBot {
  const registry = new FlowRegistry({ parkingPermitFees: search.get('1072043')?.fees?.text });
  const flows: FlowTurns = new FlowTurns({
    registry,
    submissions: sqlSubmissions(stores.sql, stores.state, stores.outbox),
    profiles: stores.profiles,
    search,
    expiryMs: 72 * 3600_000,
    now: () => clock,
    requestHandoff: (context, data): Promise<void> =>
      bot.requestHandoff(context, data, 'user-request'),
    enteredBy: async (id) => staffConversations.get(id),
    insights: stores.insights,
  });
  // The flow turns call back into the bot (a flow may ask for a person); `bot` exists by then.
  const bot: LotseBot = new LotseBot({
    search,
    conversationState: new ConversationState(stores.state),
    feedback: stores.feedback,
    handoffs: handoffDesk(stores, () => clock).service,
    flows,
    profiles: stores.profiles,
    now: () => clock,
    eraseUser: async (userId) => {
      erased.push(userId);
    },
  });
  return bot;
}

function chat(conversationId: string, bot = newBot(), userId = 'user1') {
  const adapter = new TestAdapter((context) => bot.run(context));
  adapter.conversation.conversation.id = conversationId;
  adapter.conversation.user = { id: userId, name: 'User' };
  return async (text: string, value?: unknown): Promise<Partial<Activity>[]> => {
    await adapter.send({ type: 'message', text, ...(value === undefined ? {} : { value }) });
    const replies: Partial<Activity>[] = [];
    while (adapter.activeQueue.length) replies.push(adapter.activeQueue.shift()!);
    return replies;
  };
}

const texts = (replies: Partial<Activity>[]) => replies.map((r) => r.text ?? '').join('\n---\n');

describe('a Bewohnerparkausweis in dialog', () => {
  it('opens on request, takes a correction and a question in between, and submits with a receipt', async () => {
    const say = chat('conv-parking');
    expect(texts(await say('Ich möchte einen Bewohnerparkausweis beantragen'))).toContain(
      'Wie ist Ihr vollständiger Name?',
    );
    await say('Erika Muster');
    await say('Hauptstraße 5, 80331 München');
    const between = await say('Was kostet das eigentlich?');
    expect(texts(between)).toContain('30 Euro');
    expect(texts(between)).toContain('Weiter mit Ihrem Antrag: Wie lautet das Kennzeichen');
    await say('M-AB 1234');
    await say('ja');
    const periods = await say('nein, die Adresse ist Sonnenstraße 12, 80331 München');
    expect(texts(periods)).toContain(
      'Geändert: Adresse ist jetzt „Sonnenstraße 12, 80331 München“.',
    );
    const summary = await say('12');
    expect(texts(summary)).toContain('**Adresse**: Sonnenstraße 12, 80331 München');
    const done = await say('Absenden', { flowAction: 'submit' });
    const receipt = /\*\*(LT-[0-9A-Z-]+)\*\*/.exec(texts(done))?.[1];
    expect(receipt).toBeDefined();
    const stored = await stores.outbox.get(receipt!);
    expect(stored).toMatchObject({
      flow: 'bewohnerparkausweis',
      status: 'pending',
      connector: 'bewohnerparkausweis',
    });
    expect(stored!.payload).toMatchObject({
      validityMonths: 12,
      fee: '12 Monate gültig: 30 Euro',
      vehicle: { plate: 'M-AB 1234' },
    });
    expect(texts(done)).toContain('Das könnte als Nächstes');
  });

  it('resumes an unfinished application after a restart of the bot', async () => {
    await chat('conv-resume')('Ich möchte einen Bewohnerparkausweis beantragen');
    await chat('conv-resume')('Erika Muster');
    const afterRestart = chat('conv-resume', newBot());
    expect(texts(await afterRestart('Hauptstraße 5, 80331 München'))).toContain('Kennzeichen');
  });

  it('cancels only after confirmation and discards the answers', async () => {
    const say = chat('conv-cancel');
    await say('Ich möchte einen Bewohnerparkausweis beantragen');
    await say('Erika Muster');
    expect(texts(await say('abbrechen'))).toContain('wirklich abbrechen');
    expect(texts(await say('ja'))).toContain('abgebrochen');
    expect(texts(await say('Was kostet ein Reisepass?'))).toContain('**Reisepass**');
  });

  it('discards an application left alone longer than the expiry', async () => {
    const say = chat('conv-expire');
    await say('Ich möchte einen Bewohnerparkausweis beantragen');
    clock = new Date(clock.getTime() + 73 * 3600_000);
    expect(texts(await say('Erika Muster'))).toContain('abgelaufen');
  });
});

describe('offers', () => {
  it('offers to apply at the end of an answer about a service with a flow', async () => {
    const say = chat('conv-offer');
    const [answer] = await say('Was brauche ich für die Wohnsitzanmeldung?');
    const offer = answer!.suggestedActions!.actions.find(
      (a) => (a.value as { action?: string })?.action === 'start-flow',
    )!;
    expect(offer.title).toBe('Jetzt beantragen: Wohnsitzanmeldung');
    expect(texts(await say(offer.title, offer.value))).toContain('Wie ist Ihr vollständiger Name?');
  });
});

describe('once only', () => {
  it('keeps entries only with consent, offers them in the next flow, shows and deletes them', async () => {
    const say = chat('conv-once', newBot(), 'erika');
    for (const t of [
      'Ich möchte einen Bewohnerparkausweis beantragen',
      'Erika Muster',
      'Hauptstraße 5, 80331 München',
      'M-AB 1234',
      'ja',
      '12',
    ])
      await say(t);
    const done = await say('Absenden', { flowAction: 'submit' });
    const consent = done.at(-1)!;
    expect(consent.text).toContain('Darf ich Ihre Angaben');
    expect(await stores.profiles.get('erika')).toBeUndefined();
    const yes = consent.suggestedActions!.actions[0]!;
    expect(texts(await say(yes.title!, yes.value))).toContain('Gespeichert');
    expect((await stores.profiles.get('erika'))?.entries).toEqual({
      name: 'Erika Muster',
      address: 'Hauptstraße 5, 80331 München',
    });

    const next = chat('conv-once-2', newBot(), 'erika');
    const first = await next('Ich möchte meinen Wohnsitz anmelden');
    expect(texts(first)).toContain(
      'Aus Ihren gespeicherten Daten: Name „Erika Muster“. Übernehmen?',
    );
    expect(texts(await next('meine Daten'))).toContain('**address**: Hauptstraße 5, 80331 München');
    expect(erased).not.toContain('erika');
    expect(texts(await next('Daten löschen'))).toContain('gelöscht');
    expect(await stores.profiles.get('erika')).toBeUndefined();
    // Everything else of hers goes once the turn is over (the stores' erasure is tested there).
    expect(erased).toEqual(['erika']);
  });

  it('keeps nothing when the user declines', async () => {
    const say = chat('conv-decline', newBot(), 'max');
    for (const t of [
      'Ich möchte einen Bewohnerparkausweis beantragen',
      'Max Muster',
      'Hauptstraße 5, 80331 München',
      'M-AB 1234',
      'ja',
      '12',
    ])
      await say(t);
    const consent = (await say('Absenden', { flowAction: 'submit' })).at(-1)!;
    const no = consent.suggestedActions!.actions[1]!;
    expect(texts(await say(no.title!, no.value))).toContain('speichere nichts');
    expect(await stores.profiles.get('max')).toBeUndefined();
  });
});

const PARKING_ANSWERS = [
  'Ich möchte einen Bewohnerparkausweis beantragen',
  'Erika Muster',
  'Hauptstraße 5, 80331 München',
  'M-AB 1234',
  'ja',
  '12',
];

describe('entered by staff for a caller', () => {
  it('marks the submission, offers no saved data and asks no consent', async () => {
    await stores.profiles.save('staff-desk', { name: 'Vorheriger Anrufer' }, clock.toISOString());
    staffConversations.set('conv-staff', 'anna');
    const say = chat('conv-staff', newBot(), 'staff-desk');
    const first = await say(PARKING_ANSWERS[0]!);
    expect(texts(first)).not.toContain('Vorheriger Anrufer');
    for (const t of PARKING_ANSWERS.slice(1)) await say(t);
    const done = await say('Absenden', { flowAction: 'submit' });
    expect(texts(done)).not.toContain('Darf ich Ihre Angaben');
    const receipt = /\*\*(LT-[0-9A-Z-]+)\*\*/.exec(texts(done))?.[1];
    expect((await stores.outbox.get(receipt!))?.payload).toMatchObject({
      enteredBy: 'staff:anna',
      applicant: { name: 'Erika Muster' },
    });
  });
});

describe('funnel events', () => {
  it('records started, each answered field, completed and abandoned runs', async () => {
    const since = new Date(clock.getTime() - 1000).toISOString();
    const funnel = async () =>
      (await stores.insights.flowFunnels({ since })).find((f) => f.flow === 'bewohnerparkausweis');
    const before = (await funnel()) ?? { started: 0, completed: 0, abandoned: 0, steps: [] };

    const done = chat('conv-funnel-done');
    for (const t of PARKING_ANSWERS) await done(t);
    await done('Absenden', { flowAction: 'submit' });
    const cancelled = chat('conv-funnel-cancel');
    await cancelled(PARKING_ANSWERS[0]!);
    await cancelled('Erika Muster');
    await cancelled('abbrechen');
    await cancelled('ja');
    const restarted = chat('conv-funnel-restart');
    await restarted(PARKING_ANSWERS[0]!);
    await restarted('Neustart');

    const after = (await funnel())!;
    expect(after.started - before.started).toBe(3);
    expect(after.completed - before.completed).toBe(1);
    expect(after.abandoned - before.abandoned).toBe(2);
    const runs = (f: typeof after, step: string) => f.steps.find((s) => s.step === step)?.runs ?? 0;
    expect(runs(after, 'name') - runs(before as typeof after, 'name')).toBe(2);
    expect(runs(after, 'plate') - runs(before as typeof after, 'plate')).toBe(1);
  });
});
