import { describe, expect, it } from 'vitest';
import {
  freshEvents,
  incomingOf,
  parseGeoUri,
  parseMxc,
  readSync,
  type RoomEvent,
  stripReplyFallback,
} from '../../../channels/matrix/events.js';

const ME = '@lotse:localhost';
let n = 0;
function event(partial: Partial<RoomEvent>): RoomEvent {
  n++;
  return {
    event_id: `$e${n}`,
    type: 'm.room.message',
    sender: '@anna:localhost',
    origin_server_ts: 1_700_000_000_000 + n,
    content: { msgtype: 'm.text', body: `message ${n}` },
    ...partial,
  };
}
const member = (userId: string, membership: string, prev?: string) =>
  event({
    type: 'm.room.member',
    state_key: userId,
    content: { membership },
    ...(prev ? { unsigned: { prev_content: { membership: prev } } } : {}),
  });

describe('reading a sync answer', () => {
  it('lists invites and the timeline events of joined rooms, skipping malformed events', () => {
    const good = event({});
    const batch = readSync({
      next_batch: 's9',
      rooms: {
        invite: { '!b:localhost': { invite_state: { events: [] } } },
        join: { '!a:localhost': { timeline: { events: [good, { type: 'broken' }] } } },
      },
    });
    expect(batch).toEqual({
      nextBatch: 's9',
      invites: ['!b:localhost'],
      joined: [{ roomId: '!a:localhost', events: [good] }],
    });
  });
});

describe('which events are new to the bot', () => {
  it('takes every event of a room it was already in', () => {
    const events = [event({}), event({})];
    expect(freshEvents(events, ME)).toEqual(events);
  });

  it('after a join takes only what came after the invite', () => {
    const old = event({});
    const invite = member(ME, 'invite');
    const meanwhile = event({});
    const join = member(ME, 'join', 'invite');
    const after = event({});
    expect(freshEvents([old, invite, meanwhile, join, after], ME)).toEqual([
      meanwhile,
      join,
      after,
    ]);
  });

  it('after a join without the invite in view takes only what came after the join', () => {
    const old = event({});
    const join = member(ME, 'join');
    const after = event({});
    expect(freshEvents([old, join, after], ME)).toEqual([after]);
  });

  it('does not take a profile change of the bot for a join', () => {
    const events = [event({}), member(ME, 'join', 'join'), event({})];
    expect(freshEvents(events, ME)).toEqual(events);
  });
});

describe('what an event is for Lotse', () => {
  it('reads text, without the quoted part of a reply', () => {
    expect(incomingOf(event({ content: { msgtype: 'm.text', body: 'Hallo' } }))).toEqual({
      kind: 'text',
      text: 'Hallo',
    });
    const reply = event({
      content: {
        msgtype: 'm.text',
        body: '> <@lotse:localhost> Welche Straße?\n> zweite Zeile\n\nHauptstraße 5',
        'm.relates_to': { 'm.in_reply_to': { event_id: '$x' } },
      },
    });
    expect(incomingOf(reply)).toEqual({ kind: 'text', text: 'Hauptstraße 5' });
    expect(stripReplyFallback('Kein Zitat\n> hier')).toBe('Kein Zitat\n> hier');
    const quoteWithoutReply = event({ content: { msgtype: 'm.text', body: '> zitiert' } });
    expect(incomingOf(quoteWithoutReply)).toEqual({ kind: 'text', text: '> zitiert' });
  });

  it('reads a location from its geo URI', () => {
    expect(
      incomingOf(
        event({ content: { msgtype: 'm.location', body: 'Ort', geo_uri: 'geo:53.55,9.99;u=35' } }),
      ),
    ).toEqual({ kind: 'location', latitude: 53.55, longitude: 9.99 });
    expect(parseGeoUri('geo:53.5,10.0,12')).toEqual({ latitude: 53.5, longitude: 10 });
    expect(parseGeoUri('geo:95,10')).toBeUndefined();
    expect(parseGeoUri('https://maps.example.org')).toBeUndefined();
  });

  it('reads an image with its mxc URI, type, size and caption', () => {
    const image = event({
      content: {
        msgtype: 'm.image',
        body: 'Schlagloch vor Nr. 5',
        filename: 'IMG_1.jpg',
        url: 'mxc://localhost/abc_DEF-1',
        info: { mimetype: 'image/jpeg', size: 1234 },
      },
    });
    expect(incomingOf(image)).toEqual({
      kind: 'media',
      mxc: { serverName: 'localhost', mediaId: 'abc_DEF-1' },
      name: 'IMG_1.jpg',
      contentType: 'image/jpeg',
      size: 1234,
      caption: 'Schlagloch vor Nr. 5',
    });
  });

  it('ignores notices, edits, encrypted files and other event types', () => {
    const kinds = [
      event({ content: { msgtype: 'm.notice', body: 'von einem Bot' } }),
      event({
        content: {
          msgtype: 'm.text',
          body: '* neu',
          'm.relates_to': { rel_type: 'm.replace', event_id: '$x' },
        },
      }),
      event({ content: { msgtype: 'm.image', body: 'x.jpg', file: { url: 'mxc://a/b' } } }),
      event({ type: 'm.reaction', content: {} }),
      event({ content: { msgtype: 'm.text', body: '   ' } }),
    ].map((e) => incomingOf(e).kind);
    expect(kinds).toEqual(['ignored', 'ignored', 'ignored', 'ignored', 'ignored']);
  });

  it('accepts only well-formed mxc URIs', () => {
    expect(parseMxc('mxc://example.org:8448/abc')).toEqual({
      serverName: 'example.org:8448',
      mediaId: 'abc',
    });
    expect(parseMxc('mxc://example.org/../../etc')).toBeUndefined();
    expect(parseMxc('https://example.org/abc')).toBeUndefined();
  });
});
