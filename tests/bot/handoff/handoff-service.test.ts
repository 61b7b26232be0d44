/**
 * The handoff desk over the real SQLite stores: queueing by department, presence with timeouts,
 * taking, replying, resolving, rejecting and expiring — and what the citizen is told each time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  departmentName,
  HandoffError,
  type HandoffActor,
} from '../../../bot/handoff/handoff-service.js';
import { HANDOFF_TEXTS } from '../../../bot/handoff/texts.js';
import { openStores, type Stores } from '../../../storage/open-store.js';
import { handoffDesk, MINUTE, type Desk } from './desk.js';

const anna: HandoffActor = { username: 'anna', role: 'agent', displayName: 'Anna' };
const ben: HandoffActor = { username: 'ben', role: 'agent', displayName: 'Ben' };
const root: HandoffActor = { username: 'root', role: 'admin', displayName: 'Admin' };

let clock: Date;
let stores: Stores;
let desk: Desk;

beforeEach(async () => {
  clock = new Date('2026-11-28T10:00:00.000Z');
  const now = () => clock;
  stores = await openStores({ dataDir: ':memory:', now });
  desk = handoffDesk(stores, now, { pass: 'Kreisverwaltungsreferat' });
});
afterEach(() => stores.close());

function tick(ms: number) {
  clock = new Date(clock.getTime() + ms);
}

function ask(conversationId: string, serviceId?: string, language: 'de' | 'en' = 'de') {
  return desk.service.request({
    conversationId,
    channel: 'directline',
    reason: 'user-request',
    ...(serviceId ? { serviceId } : {}),
    language,
    conversation: { channelId: 'directline', conversation: { id: conversationId } },
  });
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof HandoffError ? error.code : String(error);
  }
}

describe('queueing', () => {
  it('queues one pending request per conversation, in the service’s department', async () => {
    const first = await ask('c1', 'pass');
    expect(first).toMatchObject({ created: true, position: 1 });
    expect(first.handoff).toMatchObject({
      status: 'pending',
      department: 'Kreisverwaltungsreferat',
    });
    const again = await ask('c1', 'pass');
    expect(again).toMatchObject({ created: false, position: 1 });
    expect(again.handoff.id).toBe(first.handoff.id);
    expect(desk.notices.filter((n) => n.type === 'handoff-updated')).toHaveLength(1);
  });

  it('numbers places per department', async () => {
    await ask('c1', 'pass');
    tick(1000);
    await ask('c2');
    tick(1000);
    const third = await ask('c3', 'pass');
    expect(third.position).toBe(2);
    const queue = await desk.service.queue();
    expect(queue.map((h) => [h.conversationId, h.position])).toEqual([
      ['c1', 1],
      ['c2', 1],
      ['c3', 2],
    ]);
  });
});

describe('presence', () => {
  it('counts available agents seen within the timeout, not away or silent ones', async () => {
    await desk.service.heartbeat({ username: 'anna', status: 'available', departments: [] });
    await desk.service.heartbeat({ username: 'ben', status: 'away', departments: [] });
    expect((await ask('c1')).agentsOnline).toBe(1);
    tick(61_000);
    expect((await ask('c1')).agentsOnline).toBe(0);
  });

  it('counts an agent for a department only when they serve it (or all)', async () => {
    await desk.service.heartbeat({
      username: 'anna',
      status: 'available',
      departments: ['Sozialreferat'],
    });
    expect((await desk.service.agentsOnline('Kreisverwaltungsreferat')).length).toBe(0);
    expect((await desk.service.agentsOnline('Sozialreferat')).length).toBe(1);
  });
});

describe('taking and answering', () => {
  it('assigns to one agent and tells the citizen a person is there', async () => {
    const { handoff } = await ask('c1');
    const taken = await desk.service.assign(handoff.id, anna);
    expect(taken).toMatchObject({ status: 'assigned', agent: 'anna' });
    expect(desk.messenger.textsTo('c1')).toEqual([HANDOFF_TEXTS.de.agentJoined('Anna')]);
    expect(await code(desk.service.assign(handoff.id, ben))).toBe('LOTSE_HANDOFF_CONFLICT');
  });

  it('lets exactly one of two agents win a race for the same request', async () => {
    const { handoff } = await ask('c1');
    const results = await Promise.all([
      code(desk.service.assign(handoff.id, anna)),
      code(desk.service.assign(handoff.id, ben)),
    ]);
    expect(results.sort()).toEqual(['LOTSE_HANDOFF_CONFLICT', 'resolved']);
  });

  it('sends the holder’s message marked as from a person; others may not', async () => {
    const { handoff } = await ask('c1', undefined, 'en');
    await desk.service.assign(handoff.id, anna);
    await desk.service.sendAgentMessage(handoff.id, anna, 'Hello, how can I help?');
    const last = desk.messenger.sent.at(-1)!.activity;
    expect(last.text).toBe(`${HANDOFF_TEXTS.en.agentSays('Anna')} Hello, how can I help?`);
    expect(last.channelData).toEqual({ lotse: { from: 'agent', agent: 'Anna' } });
    expect(desk.notices.at(-1)).toMatchObject({
      type: 'handoff-message',
      message: { from: 'agent', agent: 'anna', text: 'Hello, how can I help?' },
    });
    expect(await code(desk.service.sendAgentMessage(handoff.id, ben, 'hi'))).toBe(
      'LOTSE_HANDOFF_FORBIDDEN',
    );
    expect(await code(desk.service.sendAgentMessage(handoff.id, root, 'admin here'))).toBe(
      'resolved',
    );
    expect(await code(desk.service.sendAgentMessage(handoff.id, anna, '   '))).toBe(
      'LOTSE_HANDOFF_INVALID',
    );
    expect(await code(desk.service.sendAgentMessage(handoff.id, anna, 'x'.repeat(2001)))).toBe(
      'LOTSE_HANDOFF_INVALID',
    );
  });

  it('says so when the citizen’s channel cannot take the message', async () => {
    const { handoff } = await ask('c1');
    await desk.service.assign(handoff.id, anna);
    desk.messenger.deliverable = false;
    expect(await code(desk.service.sendAgentMessage(handoff.id, anna, 'Hallo'))).toBe(
      'LOTSE_HANDOFF_UNDELIVERABLE',
    );
  });

  it('cannot message a pending request', async () => {
    const { handoff } = await ask('c1');
    expect(await code(desk.service.sendAgentMessage(handoff.id, root, 'Hallo'))).toBe(
      'LOTSE_HANDOFF_CONFLICT',
    );
  });
});

describe('closing', () => {
  it('resolves by the holder, tells the citizen the bot answers again, and stays closed', async () => {
    const { handoff } = await ask('c1');
    await desk.service.assign(handoff.id, anna);
    expect(await code(desk.service.resolve(handoff.id, ben))).toBe('LOTSE_HANDOFF_FORBIDDEN');
    const resolved = await desk.service.resolve(handoff.id, anna);
    expect(resolved.status).toBe('resolved');
    expect(resolved.closedAt).toBeDefined();
    expect(desk.messenger.textsTo('c1').at(-1)).toBe(HANDOFF_TEXTS.de.resolved('Anna'));
    expect(await code(desk.service.resolve(handoff.id, anna))).toBe('LOTSE_HANDOFF_CONFLICT');
    expect(await desk.service.openFor('c1')).toBeUndefined();
    expect((await ask('c1')).created).toBe(true);
  });

  it('cannot resolve what nobody took', async () => {
    const { handoff } = await ask('c1');
    expect(await code(desk.service.resolve(handoff.id, root))).toBe('LOTSE_HANDOFF_CONFLICT');
  });

  it('rejects pending requests (any agent) and held ones (holder only)', async () => {
    const first = await ask('c1');
    const rejected = await desk.service.reject(first.handoff.id, ben, 'Werbung');
    expect(rejected).toMatchObject({ status: 'rejected', closeReason: 'Werbung' });
    expect(desk.messenger.textsTo('c1')).toEqual([HANDOFF_TEXTS.de.rejected]);

    const second = await ask('c2');
    await desk.service.assign(second.handoff.id, anna);
    expect(await code(desk.service.reject(second.handoff.id, ben, 'x'))).toBe(
      'LOTSE_HANDOFF_FORBIDDEN',
    );
    expect((await desk.service.reject(second.handoff.id, anna, '')).status).toBe('rejected');
  });

  it('answers unknown ids with NOT_FOUND', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect(await code(desk.service.assign(id, anna))).toBe('LOTSE_HANDOFF_NOT_FOUND');
    expect(await code(desk.service.reject(id, anna, ''))).toBe('LOTSE_HANDOFF_NOT_FOUND');
  });
});

describe('expiry', () => {
  it('expires requests nobody took, and idle conversations, telling each citizen', async () => {
    const waiting = await ask('c1');
    const held = await ask('c2');
    await desk.service.assign(held.handoff.id, anna);
    tick(29 * MINUTE);
    expect(await desk.service.expireStale()).toBe(0);
    await desk.service.citizenWrote(held.handoff, 'Sind Sie noch da?');
    tick(2 * MINUTE);
    expect(await desk.service.expireStale()).toBe(1);
    expect((await desk.service.get(waiting.handoff.id))?.status).toBe('expired');
    expect(desk.messenger.textsTo('c1')).toEqual([HANDOFF_TEXTS.de.expiredPending]);
    tick(29 * MINUTE);
    expect(await desk.service.expireStale()).toBe(1);
    expect((await desk.service.get(held.handoff.id))?.status).toBe('expired');
    expect(desk.messenger.textsTo('c2').at(-1)).toBe(HANDOFF_TEXTS.de.expiredAssigned);
  });
});

describe('call backs, history and names', () => {
  it('keeps a request with a call-back contact queued past the pending expiry', async () => {
    const { handoff } = await ask('c1');
    await desk.service.setContact(handoff.id, '+49891234567');
    tick(31 * MINUTE);
    expect(await desk.service.expireStale()).toBe(0);
    expect((await desk.service.get(handoff.id))?.status).toBe('pending');
  });

  it('does not expire a conversation written in after it was found idle', async () => {
    const { handoff } = await ask('c1');
    await desk.service.assign(handoff.id, anna);
    tick(31 * MINUTE);
    const [stale] = await stores.handoffs.stale({
      pendingCreatedBefore: clock.toISOString(),
      assignedUpdatedBefore: clock.toISOString(),
    });
    await desk.service.citizenWrote(stale!, 'Noch da?');
    const expired = await stores.handoffs.update(handoff.id, ['assigned'], {
      status: 'expired',
      unchangedSince: stale!.updatedAt,
    });
    expect(expired).toBeUndefined();
    expect((await desk.service.get(handoff.id))?.status).toBe('assigned');
  });

  it('lists recently closed requests newest first', async () => {
    for (const id of ['a', 'b', 'c']) {
      const { handoff } = await ask(id);
      tick(1000);
      await desk.service.reject(handoff.id, anna, '');
    }
    const closed = await desk.service.recentlyClosed(2);
    expect(closed.map((h) => h.conversationId)).toEqual(['c', 'b']);
  });

  it('shows the newest messages of a long conversation', async () => {
    const { handoff } = await ask('long');
    await stores.transcripts.createConversation({ id: 'long', createdAt: clock.toISOString() });
    for (let i = 1; i <= 620; i++) {
      await stores.transcripts.append('long', {
        type: 'message',
        text: `Nachricht ${i}`,
        from: { id: 'web-1', name: '', role: 'user' },
      });
    }
    const messages = await desk.service.transcript(handoff, 200);
    expect(messages).toHaveLength(200);
    expect(messages.at(-1)?.text).toBe('Nachricht 620');
    expect(messages[0]?.text).toBe('Nachricht 421');
  });

  it('names queues after the authority, shortened, or allgemein', () => {
    expect(departmentName('  Kreisverwaltungsreferat \n')).toBe('Kreisverwaltungsreferat');
    expect(departmentName('   ')).toBe('allgemein');
    expect(departmentName(undefined)).toBe('allgemein');
    expect(departmentName('x'.repeat(300))).toHaveLength(200);
  });
});
