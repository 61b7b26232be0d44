/**
 * The rooms of the test homeserver: one stream of events with positions (the `since`/`next_batch`
 * tokens are `s<position>`), memberships, and the `/sync` answer for the bot computed from them
 * as the specification describes it. Kept apart from the HTTP side in homeserver-peer.ts.
 */
import type { IncomingMessage } from 'node:http';

export interface StoredEvent {
  position: number;
  roomId: string;
  event: {
    event_id: string;
    type: string;
    sender: string;
    origin_server_ts: number;
    content: Record<string, unknown>;
    state_key?: string;
    unsigned?: Record<string, unknown>;
  };
}

export interface PeerRoom {
  id: string;
  events: StoredEvent[];
  members: Map<string, { membership: string; position: number }>;
}

export class PeerError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_TIMELINE_LIMIT = 10;
/** The spec's limit for a whole event. */
export const MAX_EVENT_BYTES = 65_536;
const BASE_TS = Date.UTC(2025, 0, 6, 9, 0, 0);

/** Rooms, events and memberships; `onChange` runs after every new event. */
export class PeerRooms {
  readonly rooms = new Map<string, PeerRoom>();
  position = 0;
  private counter = 0;

  constructor(
    private readonly serverName: string,
    private readonly botUserId: string,
    private readonly onChange: () => void,
  ) {}

  /** Creates a room with `creator` joined. */
  create(creator: string): string {
    const id = `!r${++this.counter}:${this.serverName}`;
    this.rooms.set(id, { id, events: [], members: new Map() });
    this.append(id, creator, 'm.room.create', { room_version: '11' }, '');
    this.setMembership(id, creator, creator, 'join');
    return id;
  }

  membership(roomId: string, userId: string): string | undefined {
    return this.rooms.get(roomId)?.members.get(userId)?.membership;
  }

  requireMember(roomId: string, userId: string): PeerRoom {
    const room = this.rooms.get(roomId);
    if (!room) throw new Error(`peer: no room ${roomId}`);
    if (room.members.get(userId)?.membership !== 'join') {
      throw new Error(`peer: ${userId} is not joined to ${roomId}`);
    }
    return room;
  }

  append(
    roomId: string,
    sender: string,
    type: string,
    content: Record<string, unknown>,
    stateKey?: string,
    unsigned?: Record<string, unknown>,
    originServerTs?: number,
  ): StoredEvent {
    const room = this.rooms.get(roomId);
    if (!room) throw new Error(`peer: no room ${roomId}`);
    const position = ++this.position;
    const stored: StoredEvent = {
      position,
      roomId,
      event: {
        event_id: `$e${position}:${this.serverName}`,
        type,
        sender,
        origin_server_ts: originServerTs ?? BASE_TS + position * 1000,
        content,
        ...(stateKey !== undefined ? { state_key: stateKey } : {}),
        ...(unsigned ? { unsigned } : {}),
      },
    };
    room.events.push(stored);
    this.onChange();
    return stored;
  }

  setMembership(roomId: string, sender: string, userId: string, membership: string): void {
    const room = this.rooms.get(roomId);
    if (!room) throw new Error(`peer: no room ${roomId}`);
    const previous = room.members.get(userId);
    const unsigned = previous ? { prev_content: { membership: previous.membership } } : undefined;
    const position = this.position + 1;
    room.members.set(userId, { membership, position });
    this.append(roomId, sender, 'm.room.member', { membership }, userId, unsigned);
  }

  syncBody(since: number | undefined, limit: number): SyncBody {
    const join: Record<string, unknown> = {};
    const invite: Record<string, unknown> = {};
    for (const room of this.rooms.values()) {
      const own = room.members.get(this.botUserId);
      if (!own) continue;
      if (own.membership === 'join') {
        // Initial sync, or a room joined since: recent history; otherwise what is new.
        const fresh = since === undefined || own.position > since;
        const events = fresh ? room.events : room.events.filter((e) => e.position > since);
        if (!events.length) continue;
        const shown = events.slice(-limit);
        join[room.id] = {
          timeline: {
            events: shown.map((e) => this.clientEvent(e)),
            limited: events.length > shown.length,
            prev_batch: `s${(shown[0]?.position ?? 1) - 1}`,
          },
          state: { events: [] },
          ephemeral: { events: [] },
          account_data: { events: [] },
        };
      } else if (own.membership === 'invite' && (since === undefined || own.position > since)) {
        const inviteEvent = room.events.findLast(
          (e) => e.event.type === 'm.room.member' && e.event.state_key === this.botUserId,
        );
        invite[room.id] = {
          invite_state: {
            events: inviteEvent
              ? [
                  {
                    type: 'm.room.member',
                    state_key: this.botUserId,
                    sender: inviteEvent.event.sender,
                    content: { membership: 'invite' },
                  },
                ]
              : [],
          },
        };
      }
    }
    return {
      next_batch: `s${this.position}`,
      rooms: { join, invite, leave: {} },
      presence: { events: [] },
      account_data: { events: [] },
    };
  }

  private clientEvent(stored: StoredEvent): StoredEvent['event'] {
    const { unsigned, ...event } = stored.event;
    // `transaction_id` is only shown to the client that sent the event (here: always the bot).
    const age = { age: 1000 };
    return { ...event, unsigned: { ...age, ...(unsigned ?? {}) } };
  }
}

export interface SyncBody {
  next_batch: string;
  rooms: { join: Record<string, unknown>; invite: Record<string, unknown>; leave: object };
  presence: { events: unknown[] };
  account_data: { events: unknown[] };
}

export function isEmpty(body: SyncBody): boolean {
  return !Object.keys(body.rooms.join).length && !Object.keys(body.rooms.invite).length;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The timeline limit of an inline filter (`{"room":{"timeline":{"limit":1}}}`). */
export function timelineLimit(filter: string | null): number {
  if (filter === null) return DEFAULT_TIMELINE_LIMIT;
  if (!filter.startsWith('{')) throw new PeerError(400, 'M_INVALID_PARAM', 'Unknown filter id');
  let parsed: unknown;
  try {
    parsed = JSON.parse(filter);
  } catch {
    throw new PeerError(400, 'M_NOT_JSON', 'Filter is not JSON');
  }
  const limit = (parsed as { room?: { timeline?: { limit?: unknown } } }).room?.timeline?.limit;
  if (limit === undefined) return DEFAULT_TIMELINE_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new PeerError(400, 'M_BAD_JSON', 'limit must be an integer greater than 0');
  }
  return limit;
}

/** The JSON body, or undefined when there is none; bad JSON is `M_NOT_JSON`. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (!chunks.length) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  if (req.headers['content-type']?.split(';')[0] !== 'application/json') {
    throw new PeerError(400, 'M_NOT_JSON', 'Content-Type must be application/json');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new PeerError(400, 'M_NOT_JSON', 'Content not JSON');
  }
}
