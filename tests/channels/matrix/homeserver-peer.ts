/**
 * A local homeserver for the Matrix tests: node:http on a free port, implementing exactly the
 * client-server calls Lotse makes, as the specification describes them — `GET /account/whoami`,
 * `GET /sync` (initial and incremental, long-poll with `timeout`, inline filter with a timeline
 * limit, `next_batch`/`since`, `rooms.join` timelines and `rooms.invite` stripped state),
 * `POST /join/{roomIdOrAlias}`, `PUT /rooms/{roomId}/send/{eventType}/{txnId}` (idempotent per
 * transaction id) and the authenticated `GET /_matrix/client/v1/media/download/{server}/{id}`.
 * Every call needs `Authorization: Bearer <token>`; errors are standard `{ errcode, error }`
 * bodies. Tests drive the other side with helpers: create rooms, invite the bot, post as users,
 * upload media, read what the bot sent, and inject faults (429, 5xx, dropped connections).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  isEmpty,
  isObject,
  MAX_EVENT_BYTES,
  PeerError,
  PeerRooms,
  readBody,
  timelineLimit,
} from './peer-rooms.js';

export type PeerRoute = 'whoami' | 'sync' | 'join' | 'send' | 'download';

/** A request as the peer saw it (tests assert on these). */
export interface PeerRequest {
  method: string;
  route: PeerRoute | 'unknown';
  path: string;
  query: Record<string, string>;
  /** The `Authorization` header was `Bearer <the token>`. */
  authorized: boolean;
  status: number;
}

/** A message the bot sent through `PUT …/send/…`. */
export interface SentEvent {
  roomId: string;
  eventId: string;
  eventType: string;
  txnId: string;
  content: Record<string, unknown>;
}

/** A failure to answer the next request(s) of a route with. */
export type PeerFault =
  | {
      status: number;
      errcode: string;
      /** Sent as the (deprecated) `retry_after_ms` body field. */
      retryAfterMs?: number;
      /** Sent as the `Retry-After` header (seconds). */
      retryAfterSeconds?: number;
    }
  /** The connection drops before the request is handled. */
  | 'disconnect'
  /** The request is handled, then the connection drops before the answer (JSON routes). */
  | 'lose-answer';

export interface PeerOptions {
  /** Default `@lotse:localhost`. */
  botUserId?: string;
  /** Default `syt_test_token`. */
  token?: string;
  /** Default `localhost`. */
  serverName?: string;
}

export class HomeserverPeer {
  readonly botUserId: string;
  readonly token: string;
  readonly serverName: string;
  readonly requests: PeerRequest[] = [];
  private readonly rooms: PeerRooms;
  private readonly sent: SentEvent[] = [];
  private readonly txns = new Map<string, string>();
  private readonly media = new Map<string, { bytes: Buffer; contentType: string; name?: string }>();
  private readonly faults = new Map<PeerRoute, PeerFault[]>();
  private readonly listeners = new Set<() => void>();
  /** `since` positions of the long polls waiting right now. */
  private readonly parked = new Map<object, number>();
  private counter = 0;
  private server!: Server;
  origin = '';

  private constructor(options: PeerOptions) {
    this.botUserId = options.botUserId ?? '@lotse:localhost';
    this.token = options.token ?? 'syt_test_token';
    this.serverName = options.serverName ?? 'localhost';
    this.rooms = new PeerRooms(this.serverName, this.botUserId, () => this.notify());
  }

  /** Starts a peer on 127.0.0.1 and a free port. */
  static async start(options: PeerOptions = {}): Promise<HomeserverPeer> {
    const peer = new HomeserverPeer(options);
    peer.server = createServer((req, res) => void peer.handle(req, res));
    await new Promise<void>((resolve) => peer.server.listen(0, '127.0.0.1', resolve));
    peer.origin = `http://127.0.0.1:${(peer.server.address() as AddressInfo).port}`;
    return peer;
  }

  /** Answers waiting long polls, drops keep-alive connections and stops listening. */
  async close(): Promise<void> {
    this.notify();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- helpers for tests: the users' side ----

  /** Creates a room with `creator` joined; returns its id (`!r1:localhost`). */
  createRoom(creator: string): string {
    return this.rooms.create(creator);
  }

  /** `inviter` invites `invitee` (default: the bot) into a room. */
  invite(roomId: string, inviter: string, invitee = this.botUserId): void {
    this.rooms.requireMember(roomId, inviter);
    this.rooms.setMembership(roomId, inviter, invitee, 'invite');
  }

  /** A user creates a room and invites the bot, as a citizen starting a chat does. */
  inviteBot(from: string): string {
    const roomId = this.createRoom(from);
    this.invite(roomId, from);
    return roomId;
  }

  /** Another user joins a room. */
  joinUser(roomId: string, userId: string): void {
    this.rooms.setMembership(roomId, userId, userId, 'join');
  }

  /** Posts an `m.room.message` as `sender`; returns the event id. */
  post(roomId: string, sender: string, content: Record<string, unknown>): string {
    this.rooms.requireMember(roomId, sender);
    return this.rooms.append(roomId, sender, 'm.room.message', content).event.event_id;
  }

  /**
   * Posts any room event as `sender` (e.g. `m.room.encrypted`), optionally with the
   * `origin_server_ts` a broken or hostile server might give it; returns the event id.
   */
  postEvent(
    roomId: string,
    sender: string,
    type: string,
    content: Record<string, unknown>,
    options: { originServerTs?: number } = {},
  ): string {
    this.rooms.requireMember(roomId, sender);
    return this.rooms.append(
      roomId,
      sender,
      type,
      content,
      undefined,
      undefined,
      options.originServerTs,
    ).event.event_id;
  }

  /** Posts plain text (`m.text`). */
  postText(roomId: string, sender: string, text: string): string {
    return this.post(roomId, sender, { msgtype: 'm.text', body: text });
  }

  /** Stores a file in the media repository; returns its `mxc://` URI. */
  upload(bytes: Buffer, contentType: string, name?: string): string {
    const mediaId = `m${++this.counter}`;
    this.media.set(`${this.serverName}/${mediaId}`, {
      bytes,
      contentType,
      ...(name ? { name } : {}),
    });
    return `mxc://${this.serverName}/${mediaId}`;
  }

  /** The current membership of a user in a room (`invite`, `join`), if any. */
  membership(roomId: string, userId: string): string | undefined {
    return this.rooms.membership(roomId, userId);
  }

  // ---- helpers for tests: what the bot did ----

  /** What the bot sent, optionally in one room. */
  sentByBot(roomId?: string): SentEvent[] {
    return this.sent.filter((e) => !roomId || e.roomId === roomId);
  }

  /** Resolves when the bot has sent at least `count` messages (in `roomId`, if given). */
  async waitForSent(count: number, roomId?: string): Promise<SentEvent[]> {
    await this.waitFor(() => this.sentByBot(roomId).length >= count);
    return this.sentByBot(roomId);
  }

  /** Resolves when the bot has joined the room. */
  waitForJoin(roomId: string): Promise<void> {
    return this.waitFor(() => this.membership(roomId, this.botUserId) === 'join');
  }

  /**
   * Resolves when the bot is waiting in a long poll that has seen every event so far: anything
   * posted after this is new to it, anything before has been delivered (or skipped).
   */
  waitUntilCaughtUp(): Promise<void> {
    return this.waitFor(() =>
      [...this.parked.values()].some((since) => since >= this.rooms.position),
    );
  }

  /** Resolves when `predicate` holds, checking after every change on the peer. */
  waitFor(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  /** The next `times` requests of `route` fail with `fault` (after the token check). */
  failNext(route: PeerRoute, fault: PeerFault, times = 1): void {
    const queue = this.faults.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(route, queue);
  }

  /** Long polls waiting for news right now. */
  get waitingPolls(): number {
    return this.parked.size;
  }

  /** How many requests of a route the peer has seen. */
  count(route: PeerRoute): number {
    return this.requests.filter((r) => r.route === route).length;
  }

  // ---- the homeserver ----

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://peer');
    const record: PeerRequest = {
      method: req.method ?? '',
      route: 'unknown',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorized: req.headers.authorization === `Bearer ${this.token}`,
      status: 0,
    };
    this.requests.push(record);
    let loseAnswer = false;
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = loseAnswer ? -1 : status;
      if (loseAnswer) req.socket.destroy();
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
      this.notify();
    };
    try {
      const match = this.route(req.method ?? '', url.pathname);
      record.route = match.route;
      if (!req.headers.authorization) throw new PeerError(401, 'M_MISSING_TOKEN', 'Missing token');
      if (!record.authorized) throw new PeerError(401, 'M_UNKNOWN_TOKEN', 'Unknown token');
      const fault = this.faults.get(match.route)?.shift();
      if (fault === 'disconnect') {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      if (fault === 'lose-answer') loseAnswer = true;
      else if (fault) {
        const headers: Record<string, string> =
          fault.retryAfterSeconds !== undefined
            ? { 'retry-after': String(fault.retryAfterSeconds) }
            : {};
        const body: Record<string, unknown> = { errcode: fault.errcode, error: 'injected' };
        if (fault.retryAfterMs !== undefined) body.retry_after_ms = fault.retryAfterMs;
        reply(fault.status, body, headers);
        return;
      }
      const body = await readBody(req);
      switch (match.route) {
        case 'whoami':
          reply(200, { user_id: this.botUserId, device_id: 'LOTSETEST', is_guest: false });
          return;
        case 'join':
          reply(200, this.join(match.params[0] ?? '', body));
          return;
        case 'send':
          reply(200, this.send(match.params, body));
          return;
        case 'download':
          this.download(match.params, res, record);
          return;
        case 'sync':
          await this.sync(url.searchParams, res, reply);
          return;
      }
    } catch (error) {
      if (error instanceof PeerError) {
        reply(error.status, { errcode: error.errcode, error: error.message });
      } else {
        reply(500, { errcode: 'M_UNKNOWN', error: String(error) });
      }
    }
  }

  private route(method: string, path: string): { route: PeerRoute; params: string[] } {
    const routes: [PeerRoute, string, RegExp][] = [
      ['whoami', 'GET', /^\/_matrix\/client\/v3\/account\/whoami$/],
      ['sync', 'GET', /^\/_matrix\/client\/v3\/sync$/],
      ['join', 'POST', /^\/_matrix\/client\/v3\/join\/([^/]+)$/],
      ['send', 'PUT', /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/([^/]+)\/([^/]+)$/],
      ['download', 'GET', /^\/_matrix\/client\/v1\/media\/download\/([^/]+)\/([^/]+)$/],
    ];
    for (const [route, expected, pattern] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      if (method !== expected) throw new PeerError(405, 'M_UNRECOGNIZED', 'Unrecognized request');
      return { route, params: match.slice(1).map((p) => decodeURIComponent(p)) };
    }
    throw new PeerError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  }

  private join(roomIdOrAlias: string, body: unknown): { room_id: string } {
    if (body !== undefined && !isObject(body)) {
      throw new PeerError(400, 'M_BAD_JSON', 'Body must be a JSON object');
    }
    const room = this.rooms.rooms.get(roomIdOrAlias);
    if (!room) throw new PeerError(404, 'M_NOT_FOUND', 'No known servers');
    const membership = room.members.get(this.botUserId)?.membership;
    if (membership === 'join') return { room_id: room.id };
    if (membership !== 'invite') {
      throw new PeerError(403, 'M_FORBIDDEN', 'You are not invited to this room.');
    }
    this.rooms.setMembership(room.id, this.botUserId, this.botUserId, 'join');
    return { room_id: room.id };
  }

  private send(params: string[], body: unknown): { event_id: string } {
    const [roomId = '', eventType = '', txnId = ''] = params;
    if (!isObject(body)) throw new PeerError(400, 'M_NOT_JSON', 'Content must be a JSON object');
    const known = this.txns.get(txnId);
    if (known) return { event_id: known };
    const room = this.rooms.rooms.get(roomId);
    if (room?.members.get(this.botUserId)?.membership !== 'join') {
      throw new PeerError(403, 'M_FORBIDDEN', 'User not in room');
    }
    if (Buffer.byteLength(JSON.stringify(body)) > MAX_EVENT_BYTES) {
      throw new PeerError(413, 'M_TOO_LARGE', 'Event too large');
    }
    const stored = this.rooms.append(roomId, this.botUserId, eventType, body, undefined, {
      transaction_id: txnId,
    });
    this.txns.set(txnId, stored.event.event_id);
    this.sent.push({ roomId, eventId: stored.event.event_id, eventType, txnId, content: body });
    this.notify();
    return { event_id: stored.event.event_id };
  }

  private download(params: string[], res: ServerResponse, record: PeerRequest): void {
    const file = this.media.get(`${params[0]}/${params[1]}`);
    if (!file) throw new PeerError(404, 'M_NOT_FOUND', 'Not found');
    record.status = 200;
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': String(file.bytes.length),
      'content-disposition': file.name ? `inline; filename="${file.name}"` : 'inline',
    });
    res.end(file.bytes);
  }

  private async sync(
    params: URLSearchParams,
    res: ServerResponse,
    reply: (status: number, body: unknown) => void,
  ): Promise<void> {
    const sinceText = params.get('since');
    if (sinceText !== null && !/^s\d+$/.test(sinceText)) {
      throw new PeerError(400, 'M_INVALID_PARAM', 'Unknown since token');
    }
    const since = sinceText === null ? undefined : Number(sinceText.slice(1));
    const timeoutText = params.get('timeout') ?? '0';
    if (!/^\d+$/.test(timeoutText)) throw new PeerError(400, 'M_INVALID_PARAM', 'Bad timeout');
    const limit = timelineLimit(params.get('filter'));
    const deadline = Date.now() + Number(timeoutText);
    let body = this.rooms.syncBody(since, limit);
    while (since !== undefined && isEmpty(body) && Date.now() < deadline) {
      const woke = await this.park(since, deadline - Date.now(), res);
      if (!woke) return; // the client went away
      body = this.rooms.syncBody(since, limit);
    }
    reply(200, body);
  }

  /** Waits for any change or the timeout; false when the client closed the connection. */
  private park(since: number, ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const key = {};
      const done = (result: boolean) => {
        clearTimeout(timer);
        this.listeners.delete(wake);
        this.parked.delete(key);
        res.off('close', gone);
        resolve(result);
        this.notify();
      };
      const wake = () => {
        if (this.rooms.position > since) done(true);
      };
      const gone = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      res.on('close', gone);
      this.parked.set(key, since);
      this.listeners.add(wake);
      this.notify();
    });
  }
}
