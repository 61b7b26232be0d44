/**
 * Every flow end to end through Direct Line, as Web Chat drives it: each with an invalid answer, a
 * correction and a question in between before it is submitted; a cancel; and an application
 * continued after the server was restarted on the same data directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../channels/config.js';
import { buildServer, type LotseServer } from '../../channels/server.js';
import { openKnowledge } from '../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../storage/open-store.js';
import { tempDir } from '../knowledge/fixtures.js';

const SECRET = 'directline-secret-0123456789-abcdef';
let dataDir: string;
let server: LotseServer;
let stores: Stores;

async function start(): Promise<void> {
  const config = loadConfig({ LOTSE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  stores = await openStores({ dataDir });
  server = await buildServer({
    config,
    knowledge: await openKnowledge({ dataDir }),
    stores,
    directLineSecret: SECRET,
  });
  await server.app.ready();
}
async function stop(): Promise<void> {
  await server.app.close();
  await stores.close();
}

beforeAll(async () => {
  dataDir = tempDir();
  await start();
});
afterAll(stop);

/** A web chat conversation: `say` posts like Web Chat, `bot` reads what the bot said since. */
async function conversation() {
  const { token, conversationId } = (
    await server.app.inject({ method: 'POST', url: '/api/webchat/token', payload: {} })
  ).json();
  let watermark = '0';
  const url = `/v3/directline/conversations/${conversationId}/activities`;
  const headers = () => ({ authorization: `Bearer ${token}` });
  return {
    conversationId,
    async say(text: string, value?: unknown): Promise<string> {
      const res = await server.app.inject({
        method: 'POST',
        url,
        headers: headers(),
        payload: { type: 'message', from: { id: 'x' }, text, ...(value ? { value } : {}) },
      });
      expect(res.statusCode).toBe(200);
      await server.directLineAdapter.whenIdle();
      const read = (
        await server.app.inject({ url: `${url}?watermark=${watermark}`, headers: headers() })
      ).json();
      watermark = read.watermark;
      return (read.activities as { text?: string; from: { role?: string } }[])
        .filter((a) => a.from.role === 'bot')
        .map((a) => a.text ?? '')
        .join('\n');
    },
  };
}

const receiptOf = (text: string) => /\*\*(LT-[0-9A-Z-]+)\*\*/.exec(text)?.[1];

const SCRIPTS: Record<
  string,
  {
    open: string;
    steps: string[];
    invalid: [string, RegExp];
    /** The step whose field the invalid answer is tried on (before the valid one). */
    invalidAt: number;
    correction: [string, string];
    expect: Record<string, unknown>;
  }
> = {
  maengelmeldung: {
    open: 'Ich möchte ein Schlagloch melden',
    steps: ['Schlagloch', 'Marienplatz 8, 80331 München', 'Tiefes Loch', 'überspringen', 'nein'],
    invalid: ['Marienplatz', /Hausnummer|house number/i],
    invalidAt: 1,
    correction: ['nein, die Beschreibung ist Sehr tiefes Loch', 'Sehr tiefes Loch'],
    expect: {
      service_code: 'road-damage',
      description: 'Sehr tiefes Loch',
      address_string: 'Marienplatz 8, 80331 München',
    },
  },
  bewohnerparkausweis: {
    open: 'Ich möchte einen Bewohnerparkausweis beantragen',
    steps: ['Erika Muster', 'Hauptstraße 5, 80331 München', 'M-AB 1234', 'ja', '12'],
    invalid: ['M 1234 AB', /Kennzeichen|plate/i],
    invalidAt: 2,
    correction: ['nein, das Kennzeichen ist M-XY 99', 'M-XY 99'],
    expect: { vehicle: { plate: 'M-XY 99', holder: 'Erika Muster' }, validityMonths: 12 },
  },
  wohnsitzanmeldung: {
    open: 'Ich möchte meinen Wohnsitz anmelden',
    steps: [
      'Erika Muster',
      '12.3.1990',
      'gestern',
      'Sonnenstraße 12, 80331 München',
      'Bahnhofstraße 1, 10115 Berlin',
      'ja',
      '0',
    ],
    invalid: ['31.2.1990', /Datum|date/i],
    invalidAt: 1,
    correction: [
      'nein, die neue Adresse ist Sonnenstraße 14, 80331 München',
      'Sonnenstraße 14, 80331 München',
    ],
    expect: {
      newAddress: 'Sonnenstraße 14, 80331 München',
      lateRegistration: false,
      householdMembers: 0,
    },
  },
  kindergeld: {
    open: 'Ich möchte Kindergeld beantragen',
    steps: [
      'Erika Muster',
      '65929970489',
      'Deutschland',
      'Max Muster',
      '1.6.2026',
      '65929970489',
      'ja',
      'überspringen',
      'DE89 3704 0044 0532 0130 00',
      'Erika Muster',
    ],
    invalid: ['12345', /Steuer|tax/i],
    invalidAt: 1,
    correction: ['nein, der Kontoinhaber ist Erika und Hans Muster', 'Erika und Hans Muster'],
    expect: {
      child: { name: 'Max Muster', birthDate: '2026-06-01' },
      payment: { accountHolder: 'Erika und Hans Muster' },
      eligibility: 'likely',
    },
  },
};

describe.each(Object.entries(SCRIPTS))('the %s flow over Direct Line', (flowId, script) => {
  it('survives an invalid answer, a question in between and a correction, and is submitted with a receipt', async () => {
    const chat = await conversation();
    expect(await chat.say(script.open)).not.toBe('');
    const steps = script.steps;
    for (let i = 0; i < steps.length; i++) {
      if (i === script.invalidAt)
        expect(await chat.say(script.invalid[0])).toMatch(script.invalid[1]);
      if (i === 1) expect(await chat.say('Was kostet das?')).toContain('Weiter mit Ihrem Antrag');
      await chat.say(steps[i]!);
    }
    expect(await chat.say(script.correction[0])).toContain(script.correction[1]);
    const done = await chat.say('Absenden', { flowAction: 'submit' });
    const receipt = receiptOf(done);
    expect(receipt).toBeDefined();
    const record = await stores.outbox.get(receipt!);
    expect(record).toMatchObject({ flow: flowId, status: 'pending', connector: flowId });
    expect(record!.payload).toMatchObject(script.expect);
  });
});

describe('flows over Direct Line', () => {
  it('cancels after confirmation and submits nothing', async () => {
    const chat = await conversation();
    await chat.say('Ich möchte einen Bewohnerparkausweis beantragen');
    await chat.say('Erika Muster');
    expect(await chat.say('abbrechen')).toContain('wirklich abbrechen');
    expect(await chat.say('ja')).toContain('abgebrochen');
    const pending = await stores.outbox.list({ status: 'pending', limit: 100 });
    expect(
      pending.some(
        (r) =>
          (r.conversation as { conversation?: { id?: string } })?.conversation?.id ===
          chat.conversationId,
      ),
    ).toBe(false);
  });

  it('continues an application after the server was restarted', async () => {
    const chat = await conversation();
    await chat.say('Ich möchte einen Bewohnerparkausweis beantragen');
    await chat.say('Erika Muster');
    await stop();
    await start();
    expect(await chat.say('Hauptstraße 5, 80331 München')).toContain('Kennzeichen');
  });
});
