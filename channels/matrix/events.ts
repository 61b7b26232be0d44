/**
 * Reads what the sync loop needs from a `/sync` answer: rooms the bot is invited to, and the new
 * messages of rooms it has joined, as channel-neutral pieces. Everything here is pure, so the
 * rules — what counts as a message for Lotse, what is history, what is ignored — are tested
 * without a server. One malformed event is skipped rather than failing the whole batch, because a
 * batch that always fails would stop the bot for good (its `next_batch` would never be taken).
 */
import { z } from 'zod';

/** A room event as `/sync` delivers it (`ClientEventWithoutRoomID`), with what Lotse reads. */
export const RoomEvent = z.object({
  event_id: z.string().min(1),
  type: z.string().min(1),
  sender: z.string().min(1),
  origin_server_ts: z.number(),
  state_key: z.string().optional(),
  content: z.record(z.string(), z.unknown()),
  unsigned: z.record(z.string(), z.unknown()).optional(),
});
export type RoomEvent = z.infer<typeof RoomEvent>;

/** What the loop needs from one `/sync` answer. */
export interface SyncBatch {
  nextBatch: string;
  /** Rooms the bot is invited to. */
  invites: string[];
  /** Joined rooms with their new timeline events, in order. */
  joined: { roomId: string; events: RoomEvent[] }[];
}

const Envelope = z.object({
  next_batch: z.string().min(1),
  rooms: z
    .object({
      join: z.record(z.string(), z.unknown()).optional(),
      invite: z.record(z.string(), z.unknown()).optional(),
    })
    .optional()
    .catch(undefined),
});

/** The shape every `/sync` answer must have; rooms and events are checked one by one after. */
export const SyncEnvelope = Envelope;

/** Reads a `/sync` answer that passed `SyncEnvelope`. */
export function readSync(body: z.infer<typeof Envelope>): SyncBatch {
  const joined = Object.entries(body.rooms?.join ?? {}).map(([roomId, room]) => {
    const raw = (room as { timeline?: { events?: unknown } } | null)?.timeline?.events;
    const events = (Array.isArray(raw) ? raw : []).flatMap((event) => {
      const parsed = RoomEvent.safeParse(event);
      return parsed.success ? [parsed.data] : [];
    });
    return { roomId, events };
  });
  return { nextBatch: body.next_batch, invites: Object.keys(body.rooms?.invite ?? {}), joined };
}

/** Whether `event` changes the bot's own membership to `membership` (`invite`, `join`). */
function ownMembership(event: RoomEvent, ownUserId: string, membership: string): boolean {
  if (event.type !== 'm.room.member' || event.state_key !== ownUserId) return false;
  if (event.content.membership !== membership) return false;
  const previous = event.unsigned?.prev_content as { membership?: unknown } | undefined;
  // A join after a join is a profile change, not a new arrival.
  return !(membership === 'join' && previous?.membership === 'join');
}

/**
 * The events of a timeline that are new to the bot. When the timeline holds the bot's own join,
 * the room was just joined and the homeserver sends recent history with it: only what came after
 * the bot's invite (or, without one in view, after the join) is answered — so a citizen who wrote
 * while the bot was joining is answered, and older history is not.
 */
export function freshEvents(events: RoomEvent[], ownUserId: string): RoomEvent[] {
  const join = events.findLastIndex((e) => ownMembership(e, ownUserId, 'join'));
  if (join < 0) return events;
  const before = events.slice(0, join);
  const invite = before.findLastIndex((e) => ownMembership(e, ownUserId, 'invite'));
  return events.slice((invite >= 0 ? invite : join) + 1);
}

/** What one event is for Lotse. */
export type Incoming =
  | { kind: 'text'; text: string }
  | { kind: 'location'; latitude: number; longitude: number }
  | {
      kind: 'media';
      mxc: { serverName: string; mediaId: string };
      /** The file name the sender gave. */
      name: string | undefined;
      contentType: string | undefined;
      /** Declared size in bytes, when given (checked before downloading). */
      size: number | undefined;
      /** A caption sent with the file (Matrix 1.10: `body` differs from `filename`). */
      caption: string | undefined;
    }
  /** Not for Lotse; `reason` is logged (a type or msgtype, never content). */
  | { kind: 'ignored'; reason: string };

const MEDIA_TYPES = new Set(['m.image', 'm.file', 'm.audio', 'm.video']);

/** Classifies a timeline event from someone else. */
export function incomingOf(event: RoomEvent): Incoming {
  if (event.type !== 'm.room.message') return { kind: 'ignored', reason: event.type };
  const content = event.content;
  const msgtype = typeof content.msgtype === 'string' ? content.msgtype : 'none';
  const relation = content['m.relates_to'] as { rel_type?: unknown } | undefined;
  if (relation?.rel_type === 'm.replace') return { kind: 'ignored', reason: `${msgtype} edit` };
  if (typeof content.body !== 'string')
    return { kind: 'ignored', reason: `${msgtype} without body` };
  if (msgtype === 'm.text') {
    const text =
      relation && 'm.in_reply_to' in relation ? stripReplyFallback(content.body) : content.body;
    return text.trim() ? { kind: 'text', text } : { kind: 'ignored', reason: 'm.text empty' };
  }
  if (msgtype === 'm.location') {
    const point = typeof content.geo_uri === 'string' ? parseGeoUri(content.geo_uri) : undefined;
    return point
      ? { kind: 'location', ...point }
      : { kind: 'ignored', reason: 'm.location invalid' };
  }
  if (MEDIA_TYPES.has(msgtype)) {
    const mxc = typeof content.url === 'string' ? parseMxc(content.url) : undefined;
    // Encrypted files carry `file` instead of `url`; Lotse does not join encrypted rooms' crypto.
    if (!mxc) return { kind: 'ignored', reason: `${msgtype} without mxc url` };
    const info = (content.info ?? {}) as { mimetype?: unknown; size?: unknown };
    const filename = typeof content.filename === 'string' ? content.filename : undefined;
    return {
      kind: 'media',
      mxc,
      name: filename ?? content.body,
      contentType: typeof info.mimetype === 'string' ? info.mimetype : undefined,
      size: typeof info.size === 'number' ? info.size : undefined,
      caption: filename !== undefined && content.body !== filename ? content.body : undefined,
    };
  }
  // m.notice comes from other bots (answering it could loop), m.emote is not a question.
  return { kind: 'ignored', reason: msgtype };
}

/**
 * Removes the quoted fallback older clients put before a reply (`> <@a:b> quoted` lines and the
 * blank line after), so the bot reads what the user wrote, not what they quoted.
 */
export function stripReplyFallback(body: string): string {
  const lines = body.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]?.startsWith('>')) i++;
  if (i === 0) return body;
  if (lines[i] === '') i++;
  return lines.slice(i).join('\n');
}

/** `geo:53.55,9.99` (RFC 5870; altitude and parameters allowed) → coordinates, when valid. */
export function parseGeoUri(uri: string): { latitude: number; longitude: number } | undefined {
  const match = /^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(?:,-?\d+(?:\.\d+)?)?(?:;.*)?$/i.exec(
    uri.trim(),
  );
  if (!match) return undefined;
  const latitude = Number(match[1]);
  const longitude = Number(match[2]);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  return { latitude, longitude };
}

/** `mxc://server.name/mediaId` → its parts, when both are well-formed. */
export function parseMxc(uri: string): { serverName: string; mediaId: string } | undefined {
  const match = /^mxc:\/\/([A-Za-z0-9.:[\]-]{1,255})\/([A-Za-z0-9_-]{1,255})$/.exec(uri);
  return match?.[1] && match[2] ? { serverName: match[1], mediaId: match[2] } : undefined;
}
