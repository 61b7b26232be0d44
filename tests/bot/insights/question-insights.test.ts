/**
 * Which questions the bot keeps for the editors, through a real conversation turn: questions it
 * could not answer (masked, grouped) are kept, confident answers are not, and a failing store
 * never fails the citizen's turn.
 */
import { ConversationState, TestAdapter } from 'botbuilder';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LotseBot } from '../../../bot/lotse-bot.js';
import { loadDemoCatalogue } from '../../../knowledge/catalogue.js';
import { loadSynonyms } from '../../../knowledge/knowledge-base.js';
import { ServiceSearch } from '../../../knowledge/search/searcher.js';
import { openStores, type Stores } from '../../../storage/open-store.js';
import type { InsightsStore } from '../../../storage/types.js';
import { handoffDesk } from '../handoff/desk.js';

let search: ServiceSearch;
let stores: Stores;

beforeAll(() => {
  search = ServiceSearch.create(loadDemoCatalogue(), { synonyms: loadSynonyms() }).search;
});
beforeEach(async () => {
  stores = await openStores({ dataDir: ':memory:' });
});
afterEach(() => stores.close());

function chat(insights: InsightsStore) {
  const bot = new LotseBot({
    search,
    conversationState: new ConversationState(stores.state),
    feedback: stores.feedback,
    handoffs: handoffDesk(stores, () => new Date()).service,
    insights,
  });
  const adapter = new TestAdapter((context) => bot.run(context));
  return async (text: string) => {
    await adapter.send(text);
    const replies: string[] = [];
    while (adapter.activeQueue.length) replies.push(adapter.activeQueue.shift()!.text ?? '');
    return replies;
  };
}

const since = '2000-01-01T00:00:00.000Z';

describe('questions kept for insights', () => {
  it('keeps unanswered questions masked and grouped, and no confident answer', async () => {
    const say = chat(stores.insights);
    await say('Was kostet ein Personalausweis?');
    await say('Wie wird das Wetter morgen? 0171 2345678');
    await say('wie wird morgen das wetter');
    const groups = await stores.insights.unansweredGroups({ since });
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 2, abstained: 2 });
    const kept = await stores.sql.query<{ text: string }>('SELECT text FROM question_log');
    expect(kept.map((r) => r.text).join(' ')).not.toMatch(/2345678|Personalausweis/);
  });

  it('answers the citizen even when the insights store fails', async () => {
    const broken: InsightsStore = {
      ...stores.insights,
      recordQuestion: () => Promise.reject(new Error('disk full')),
      recordFlowEvent: () => Promise.reject(new Error('disk full')),
    };
    const say = chat(broken);
    const replies = await say('Wie wird das Wetter morgen?');
    expect(replies.join(' ')).toContain('keine passende Leistung');
  });
});
