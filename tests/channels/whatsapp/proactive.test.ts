import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RenderedMessage } from '../../../channels/messaging/types.js';
import { WhatsAppClient } from '../../../channels/whatsapp/client.js';
import { inboundTimes, recordingLog } from './fakes.js';
import { type GraphPeer, startGraphPeer } from './graph-peer.js';

const TOKEN = 'EAAG-test-access-token-0123456789';
const PHONE_ID = '106540352242922';
const CITIZEN = '4917612345678';
const NOW = Date.parse('2025-03-10T12:00:00Z');
const HOUR = 60 * 60 * 1000;

const message: RenderedMessage = {
  parts: ['Ihre Meldung wurde bearbeitet.'],
  plainParts: ['Ihre Meldung wurde bearbeitet.'],
  presentation: 'none',
  choices: [],
  links: [],
};

let peer: GraphPeer;
let log: ReturnType<typeof recordingLog>;

function client(lastInbound: string | undefined, template?: { name: string; language: string }) {
  return new WhatsAppClient({
    token: TOKEN,
    phoneId: PHONE_ID,
    apiBase: peer.apiBase,
    template,
    store: inboundTimes(lastInbound ? { [CITIZEN]: lastInbound } : {}),
    log,
    now: () => NOW,
  });
}

beforeEach(async () => {
  peer = await startGraphPeer({ token: TOKEN, phoneId: PHONE_ID });
  log = recordingLog();
});
afterEach(async () => {
  await peer.close();
});

describe('proactive WhatsApp messages and the 24-hour window', () => {
  it('are sent as usual when the user wrote within the last 24 hours', async () => {
    const sent = await client(new Date(NOW - 23 * HOUR).toISOString()).sendProactive(
      { chatId: CITIZEN },
      message,
    );
    expect(sent).toBe('sent');
    expect(peer.textsTo(CITIZEN)).toEqual(['Ihre Meldung wurde bearbeitet.']);
  });

  it('become the configured template outside the window', async () => {
    const sent = await client(new Date(NOW - 25 * HOUR).toISOString(), {
      name: 'lotse_neue_nachricht',
      language: 'de',
    }).sendProactive({ chatId: CITIZEN }, message);
    expect(sent).toBe('template');
    expect(peer.messages).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: CITIZEN,
        type: 'template',
        template: { name: 'lotse_neue_nachricht', language: { code: 'de' } },
      },
    ]);
  });

  it('are skipped with a log line without the number when there is no template', async () => {
    const sent = await client(new Date(NOW - 25 * HOUR).toISOString()).sendProactive(
      { chatId: CITIZEN },
      message,
    );
    expect(sent).toBe('skipped');
    expect(peer.requests).toHaveLength(0);
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        details: expect.objectContaining({ reason: 'outside-24h-window' }),
      }),
    ]);
    expect(log.text()).not.toContain(CITIZEN);
  });

  it('count a chat that never wrote as outside the window', async () => {
    expect(await client(undefined).sendProactive({ chatId: CITIZEN }, message)).toBe('skipped');
    expect(peer.requests).toHaveLength(0);
  });

  it('fall back to the template when Graph says the window closed meanwhile', async () => {
    peer.closeWindow(CITIZEN);
    const sent = await client(new Date(NOW - 1 * HOUR).toISOString(), {
      name: 'lotse_neue_nachricht',
      language: 'de',
    }).sendProactive({ chatId: CITIZEN }, message);
    expect(sent).toBe('template');
    expect(peer.requests.map((r) => r.errorCode)).toEqual([131047, undefined]);
    expect(peer.messages.map((m) => m.type)).toEqual(['template']);
  });
});
