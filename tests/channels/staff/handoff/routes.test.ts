/**
 * The console's handoff routes on the composed server, with real stores and real logins: who may
 * see and do what, the JSON and form answers of each action, and the live event stream, which
 * tells each agent only what is theirs to hear.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../channels/config.js';
import { buildServer, type LotseServer } from '../../../../channels/server.js';
import { hashPassword } from '../../../../channels/staff/auth/password.js';
import { openKnowledge } from '../../../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../../../storage/open-store.js';
import type { StaffRole } from '../../../../storage/types.js';
import { FAST_SCRYPT, PASSWORD, sessionCookie } from '../auth/console-app.js';

let server: LotseServer;
let stores: Stores;
let dataDir: string;
let origin: string;

interface Session {
  cookie: string;
  csrfToken: string;
}
const sessions: Record<string, Session> = {};

async function account(username: string, role: StaffRole) {
  await stores.staffAccounts.upsert({
    username,
    role,
    displayName: username[0]!.toUpperCase() + username.slice(1),
    passwordHash: await hashPassword(PASSWORD, FAST_SCRYPT),
  });
  const res = await server.app.inject({
    method: 'POST',
    url: '/staff/login',
    payload: { username, password: PASSWORD },
  });
  expect(res.statusCode).toBe(200);
  sessions[username] = { cookie: sessionCookie(res)!, csrfToken: res.json().csrfToken };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lotse-staff-handoff-'));
  stores = await openStores({ dataDir });
  server = await buildServer({
    config: loadConfig({ LOTSE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
    knowledge: await openKnowledge({ dataDir }),
    stores,
    directLineSecret: 'test-secret-that-is-long-enough-123456',
  });
  origin = await server.app.listen({ host: '127.0.0.1', port: 0 });
  await account('anna', 'agent');
  await account('ben', 'agent');
  await account('erika', 'editor');
  await account('root', 'admin');
});
afterAll(async () => {
  await server.app.close();
  await stores.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A web chat conversation that asked for a person, as the bot queues it. */
async function citizenAsks(serviceId?: string) {
  const id = `conv-${Math.random().toString(36).slice(2)}`;
  await stores.transcripts.createConversation({
    id,
    userId: 'web-1',
    createdAt: new Date().toISOString(),
  });
  await stores.transcripts.append(id, {
    type: 'message',
    text: 'Ich brauche Hilfe beim Reisepass',
    from: { id: 'web-1', name: '', role: 'user' },
    timestamp: new Date(),
  });
  const { handoff } = await server.handoffs.request({
    conversationId: id,
    channel: 'directline',
    reason: 'user-request',
    ...(serviceId ? { serviceId } : {}),
    language: 'de',
    conversation: {
      channelId: 'directline',
      conversation: { id },
      user: { id: 'web-1' },
      bot: { id: 'lotse', name: 'Lotse' },
      serviceUrl: 'https://directline.invalid',
    },
  });
  return handoff;
}

function as(user: string, method: 'GET' | 'POST', url: string, payload?: object) {
  const s = sessions[user]!;
  return server.app.inject({
    method,
    url,
    headers: {
      cookie: s.cookie,
      ...(method === 'POST' ? { 'x-csrf-token': s.csrfToken } : {}),
    },
    ...(payload ? { payload } : {}),
  });
}

describe('access', () => {
  it('sends visitors without a session to the login, and refuses editors', async () => {
    const page = await server.app.inject({
      url: '/staff/handoffs',
      headers: { accept: 'text/html' },
    });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/staff/login?next=%2Fstaff%2Fhandoffs');
    expect((await as('erika', 'GET', '/staff/handoffs')).statusCode).toBe(403);
    expect((await as('erika', 'GET', '/staff/events')).statusCode).toBe(403);
    expect((await as('anna', 'GET', '/staff/handoffs')).statusCode).toBe(200);
  });

  it('refuses actions without the CSRF token', async () => {
    const handoff = await citizenAsks();
    const res = await server.app.inject({
      method: 'POST',
      url: `/staff/handoffs/${handoff.id}/assign`,
      headers: { cookie: sessions.anna!.cookie, 'content-type': 'application/json' },
      payload: {},
    });
    expect(res.statusCode).toBe(403);
    expect((await stores.handoffs.get(handoff.id))?.status).toBe('pending');
  });
});

describe('actions', () => {
  it('takes, answers and resolves over JSON, with coded refusals for the others', async () => {
    const handoff = await citizenAsks('1063453');
    const queue = await as('anna', 'GET', '/staff/handoffs');
    expect(queue.body).toContain('Reisepass');
    expect(queue.body).toContain(`/staff/handoffs/${handoff.id}/assign`);

    const taken = await as('anna', 'POST', `/staff/handoffs/${handoff.id}/assign`, {});
    expect(taken.statusCode).toBe(200);
    expect(taken.json().handoff).toMatchObject({ status: 'assigned', agent: 'anna' });
    const again = await as('ben', 'POST', `/staff/handoffs/${handoff.id}/assign`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('LOTSE_HANDOFF_CONFLICT');

    // Ben sees neither the transcript nor a reply box; Anna sees both.
    const bens = await as('ben', 'GET', `/staff/handoffs/${handoff.id}`);
    expect(bens.body).not.toContain('Ich brauche Hilfe beim Reisepass');
    expect(bens.body).not.toContain('id="reply"');
    const annas = await as('anna', 'GET', `/staff/handoffs/${handoff.id}`);
    expect(annas.body).toContain('Ich brauche Hilfe beim Reisepass');
    expect(annas.body).toContain('id="reply"');

    const sent = await as('anna', 'POST', `/staff/handoffs/${handoff.id}/messages`, {
      text: 'Guten Tag!',
    });
    expect(sent.statusCode).toBe(200);
    const page = await stores.transcripts.list(handoff.conversationId, 0);
    expect(page.activities.at(-1)?.text).toBe('**Anna (Service-Team):** Guten Tag!');

    const blank = await as('anna', 'POST', `/staff/handoffs/${handoff.id}/messages`, { text: ' ' });
    expect(blank.statusCode).toBe(400);
    const foreign = await as('ben', 'POST', `/staff/handoffs/${handoff.id}/messages`, {
      text: 'Hallo',
    });
    expect(foreign.statusCode).toBe(403);
    expect((await as('ben', 'POST', `/staff/handoffs/${handoff.id}/resolve`, {})).statusCode).toBe(
      403,
    );
    const resolved = await as('anna', 'POST', `/staff/handoffs/${handoff.id}/resolve`, {});
    expect(resolved.json().handoff.status).toBe('resolved');
  });

  it('filters the queue by department', async () => {
    const passport = await citizenAsks('1063453');
    const general = await citizenAsks();
    expect(passport.department).not.toBe('allgemein');
    const page = await as('anna', 'GET', `/staff/handoffs?department=allgemein`);
    expect(page.body).toContain(`/staff/handoffs/${general.id}/assign`);
    expect(page.body).not.toContain(`/staff/handoffs/${passport.id}/assign`);
    expect(page.body).toContain(`<option value="${passport.department}"`);
    const all = await as('anna', 'GET', `/staff/handoffs/queue`);
    expect(all.body).toContain(`/staff/handoffs/${passport.id}/assign`);
  });

  it('answers forms with a redirect that names the outcome', async () => {
    const handoff = await citizenAsks();
    const res = await server.app.inject({
      method: 'POST',
      url: `/staff/handoffs/${handoff.id}/reject`,
      headers: {
        cookie: sessions.root!.cookie,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${encodeURIComponent(sessions.root!.csrfToken)}&reason=Test`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/handoffs?notice=rejected');
    expect(await stores.handoffs.get(handoff.id)).toMatchObject({
      status: 'rejected',
      closeReason: 'Test',
    });
    const notFound = await as('anna', 'GET', '/staff/handoffs/not-a-uuid');
    expect(notFound.statusCode).toBe(404);
  });

  it('sets the agent’s presence', async () => {
    const res = await as('ben', 'POST', '/staff/handoffs/presence', { status: 'away' });
    expect(res.json()).toEqual({ ok: true, status: 'away' });
    const online = await stores.presence.online('1970-01-01T00:00:00.000Z');
    expect(online.find((p) => p.username === 'ben')?.status).toBe('away');
    expect(
      (await as('ben', 'POST', '/staff/handoffs/presence', { status: 'gone' })).statusCode,
    ).toBe(400);
  });
});

interface Stream {
  events: { event: string; data: string }[];
  response: IncomingMessage;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves once an event matching `test` has arrived (fails after 5 s). */
  waitFor(test: (e: { event: string; data: string }) => boolean): Promise<void>;
  close(): void;
}

/** Opens the event stream of a user and collects its events as they arrive. */
function listen(user: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}/staff/events`, {
      headers: { cookie: sessions[user]!.cookie, accept: 'text/event-stream' },
    });
    req.on('response', (response) => {
      const events: Stream['events'] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) {
            events.push({ event, data });
            response.emit('lotse-event');
          }
        }
      });
      const waitFor: Stream['waitFor'] = (test) =>
        new Promise((done, fail) => {
          if (events.some(test)) return done();
          const timer = setTimeout(
            () => fail(new Error(`no such event in ${JSON.stringify(events)}`)),
            5000,
          );
          const check = () => {
            if (!events.some(test)) return;
            clearTimeout(timer);
            response.off('lotse-event', check);
            done();
          };
          response.on('lotse-event', check);
        });
      const ended = new Promise<void>((done) => response.on('end', () => done()));
      resolve({ events, response, waitFor, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('live events', () => {
  it('streams queue changes to all agents and message texts only to the holder', async () => {
    const annaStream = await listen('anna');
    const benStream = await listen('ben');
    expect(annaStream.response.headers['content-type']).toContain('text/event-stream');
    await annaStream.waitFor((e) => e.event === 'ready');
    await benStream.waitFor((e) => e.event === 'ready');

    const handoff = await citizenAsks();
    await benStream.waitFor((e) => e.event === 'handoff-updated');
    const update = benStream.events.find((e) => e.event === 'handoff-updated')!;
    expect(JSON.parse(update.data)).toEqual({
      id: handoff.id,
      status: 'pending',
      department: 'allgemein',
      agent: null,
    });

    await as('anna', 'POST', `/staff/handoffs/${handoff.id}/assign`, {});
    await server.handoffs.citizenWrote((await stores.handoffs.get(handoff.id))!, 'Geheime Frage');
    await annaStream.waitFor((e) => e.event === 'handoff-message');
    expect(annaStream.events.find((e) => e.event === 'handoff-message')!.data).toContain(
      'Geheime Frage',
    );
    // Ben heard the assignment and what came after the message, never the message itself.
    const heard = benStream.events.length;
    await as('root', 'POST', '/staff/handoffs/presence', { status: 'available' });
    await benStream.waitFor(
      (e) => e.event === 'presence-changed' && benStream.events.indexOf(e) >= heard,
    );
    expect(benStream.events.some((e) => e.data.includes('"assigned"'))).toBe(true);
    expect(benStream.events.map((e) => e.data).join('\n')).not.toContain('Geheime Frage');

    // An open stream keeps the agent present.
    const online = await server.handoffs.agentsOnline();
    expect(online.map((p) => p.username).sort()).toEqual(expect.arrayContaining(['anna']));
    annaStream.close();
    benStream.close();
  });

  it('ends the stream and the presence of an agent who is locked or logs out', async () => {
    await account('carl', 'agent');
    const carl = await listen('carl');
    await carl.waitFor((e) => e.event === 'ready');
    expect((await server.handoffs.agentsOnline()).map((p) => p.username)).toContain('carl');
    const locked = await as('root', 'POST', '/staff/admin/accounts/carl/disable', {});
    expect(locked.statusCode).toBe(200);
    await carl.ended;
    expect((await server.handoffs.agentsOnline()).map((p) => p.username)).not.toContain('carl');

    await account('dora', 'agent');
    const dora = await listen('dora');
    await dora.waitFor((e) => e.event === 'ready');
    const out = await as('dora', 'POST', '/staff/logout', {});
    expect(out.statusCode).toBeLessThan(400);
    await dora.ended;
    expect((await server.handoffs.agentsOnline()).map((p) => p.username)).not.toContain('dora');
  });
});
