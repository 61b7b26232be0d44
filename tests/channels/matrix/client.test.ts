import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MatrixClient } from '../../../channels/matrix/client.js';
import { MatrixApiError } from '../../../channels/matrix/errors.js';
import type { Sleep } from '../../../channels/messaging/http.js';
import { renderActivity } from '../../../channels/messaging/render.js';
import { HomeserverPeer } from './homeserver-peer.js';

const ANNA = '@anna:localhost';

describe('MatrixClient', () => {
  let peer: HomeserverPeer;
  let roomId: string;
  let sleeps: number[];
  const sleep: Sleep = async (ms) => {
    sleeps.push(ms);
  };
  const client = (token = peer.token) =>
    new MatrixClient({ homeserver: `${peer.origin}/`, token, sleep });

  beforeEach(async () => {
    peer = await HomeserverPeer.start();
    sleeps = [];
    roomId = peer.inviteBot(ANNA);
    peer.joinUser(roomId, peer.botUserId);
  });
  afterEach(() => peer.close());

  it('sends each part as an m.text message with the HTML as formatted_body', async () => {
    await client().send(
      { chatId: roomId },
      {
        parts: ['<strong>Teil</strong> 1', 'Teil 2'],
        plainParts: ['Teil 1', 'Teil 2'],
        presentation: 'none',
        choices: [],
        links: [],
      },
    );
    const sent = peer.sentByBot(roomId);
    expect(sent.map((e) => [e.eventType, e.content])).toEqual([
      [
        'm.room.message',
        {
          msgtype: 'm.text',
          body: 'Teil 1',
          format: 'org.matrix.custom.html',
          formatted_body: '<strong>Teil</strong> 1',
        },
      ],
      [
        'm.room.message',
        {
          msgtype: 'm.text',
          body: 'Teil 2',
          format: 'org.matrix.custom.html',
          formatted_body: 'Teil 2',
        },
      ],
    ]);
    expect(new Set(sent.map((e) => e.txnId)).size).toBe(2);
    expect(peer.requests.every((r) => r.authorized && !('access_token' in r.query))).toBe(true);
  });

  it('shows choices as numbered text and escapes what the bot says', async () => {
    const matrix = client();
    const rendered = renderActivity(
      {
        text: 'Ist die Adresse **<Hauptstraße 5>** richtig?',
        suggestedActions: {
          to: [],
          actions: [
            { type: 'imBack', title: 'Ja', value: 'Ja' },
            { type: 'imBack', title: 'Nein, ändern', value: 'Nein' },
            { type: 'openUrl', title: 'Stadtplan', value: 'https://example.org/plan' },
          ],
        },
      },
      matrix,
      ['t1', 't2'],
    );
    expect(rendered.presentation).toBe('numbered');
    await matrix.send({ chatId: roomId }, rendered);
    const [message] = peer.sentByBot(roomId);
    expect(message?.content.body).toBe(
      'Ist die Adresse <Hauptstraße 5> richtig?\n\n1. Ja\n2. Nein, ändern\n\n' +
        'Antworten Sie mit der Nummer Ihrer Wahl.\n\nStadtplan: https://example.org/plan',
    );
    expect(message?.content.formatted_body).toBe(
      '<p>Ist die Adresse <strong>&lt;Hauptstraße 5&gt;</strong> richtig?</p>' +
        '<p>1. Ja<br>2. Nein, ändern</p><p>Antworten Sie mit der Nummer Ihrer Wahl.</p>' +
        '<br><br><a href="https://example.org/plan">Stadtplan</a>',
    );
  });

  it('refuses a link that is not a web page before sending anything', async () => {
    const send = client().send(
      { chatId: roomId },
      {
        parts: ['Teil 1', 'Teil 2'],
        plainParts: ['Teil 1', 'Teil 2'],
        presentation: 'none',
        choices: [],
        links: [{ title: 'Klick', url: 'javascript:alert(1)' }],
      },
    );
    await expect(send).rejects.toThrow(/link 1 is not an http\(s\) URL/);
    expect(peer.count('send')).toBe(0);
  });

  it('sends an automatic notice as m.notice', async () => {
    await client().sendNotice(roomId, 'Hinweis <b>');
    expect(peer.sentByBot(roomId)[0]?.content).toEqual({
      msgtype: 'm.notice',
      body: 'Hinweis <b>',
      format: 'org.matrix.custom.html',
      formatted_body: 'Hinweis &lt;b&gt;',
    });
  });

  it('waits as long as a 429 says and sends again', async () => {
    peer.failNext('send', { status: 429, errcode: 'M_LIMIT_EXCEEDED', retryAfterMs: 1500 });
    peer.failNext('send', { status: 429, errcode: 'M_LIMIT_EXCEEDED', retryAfterSeconds: 2 });
    const eventId = await client().sendText(roomId, 'Hallo');
    expect(sleeps).toEqual([1500, 2000]);
    expect(peer.sentByBot(roomId).map((e) => e.eventId)).toEqual([eventId]);
  });

  it('gives up after three retries with the errcode, never the token', async () => {
    peer.failNext('send', { status: 429, errcode: 'M_LIMIT_EXCEEDED', retryAfterMs: 10 }, 4);
    const error = await client()
      .sendText(roomId, 'Hallo')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MatrixApiError);
    expect(error).toMatchObject({ status: 429, errcode: 'M_LIMIT_EXCEEDED', call: 'send' });
    expect(String((error as Error).message)).not.toContain(peer.token);
    expect(peer.count('send')).toBe(4);
  });

  it('does not block on a 429 that asks for a very long wait', async () => {
    peer.failNext('send', { status: 429, errcode: 'M_LIMIT_EXCEEDED', retryAfterMs: 3_600_000 });
    await expect(client().sendText(roomId, 'Hallo')).rejects.toMatchObject({ status: 429 });
    expect(sleeps).toEqual([]);
  });

  it('retries a send whose connection dropped, with the same transaction id', async () => {
    peer.failNext('send', 'disconnect');
    await client().sendText(roomId, 'Hallo');
    const sends = peer.requests.filter((r) => r.route === 'send');
    expect(sends).toHaveLength(2);
    expect(sends[0]?.path).toBe(sends[1]?.path);
    expect(peer.sentByBot(roomId)).toHaveLength(1);
  });

  it('after a lost answer sends again with the same transaction id, posting once', async () => {
    peer.failNext('send', 'lose-answer');
    const eventId = await client().sendText(roomId, 'Hallo');
    expect(peer.count('send')).toBe(2);
    expect(peer.sentByBot(roomId).map((e) => e.eventId)).toEqual([eventId]);
  });

  it('reports a refusal with status and errcode', async () => {
    const other = peer.createRoom(ANNA);
    await expect(client().sendText(other, 'Hallo')).rejects.toMatchObject({
      status: 403,
      errcode: 'M_FORBIDDEN',
    });
    await expect(client('wrong-token').sendText(roomId, 'Hallo')).rejects.toMatchObject({
      status: 401,
      errcode: 'M_UNKNOWN_TOKEN',
      unauthorized: true,
    });
  });
});
