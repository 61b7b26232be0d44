/**
 * The Matrix bot's receiving side: a `/sync` long-poll loop. Matrix has no webhooks for ordinary
 * accounts, so Lotse asks the homeserver for news, waiting up to 30 s per request. It joins rooms
 * it is invited to (each room is one conversation), turns new messages from other users into
 * `InboundMessage`s and hands them to the messenger adapter one after another per room, rooms in
 * parallel. Failures back off exponentially (capped) and the loop carries on; `stop()` aborts the
 * waiting request at once.
 *
 * The sync position (`since`) is kept in memory only, so messages sent while Lotse was down are
 * not answered: after a restart the bot starts with a fresh sync and skips the history it returns
 * (nothing is answered twice either).
 *
 * A file a user sends is not downloaded here: the message carries a loader the adapter calls when
 * the message's turn comes (after its duplicate check and flood limit), and the adapter tells the
 * user when a file was too large or could not be fetched. Lotse holds no room keys, so in an
 * encrypted room it says so once (per room and process) instead of staying silent.
 */
import type { InboundFile, InboundMessage } from '../messaging/types.js';
import { BackgroundTasks } from '../background-tasks.js';
import { KeyedQueue } from '../directline/keyed-queue.js';
import { z } from 'zod';
import type { MatrixClient } from './client.js';
import { MatrixApiError, MatrixMediaTooLargeError, MatrixTransportError } from './errors.js';
import {
  freshEvents,
  type Incoming,
  incomingOf,
  readSync,
  type RoomEvent,
  SyncEnvelope,
} from './events.js';
import { pathSegment } from './http.js';
import { matrixTexts } from './texts.js';

/** Where inbound messages go: the messenger adapter (`MessengerAdapter.receive`). */
export interface MessageReceiver {
  receive(message: InboundMessage): Promise<unknown>;
}

/** The pino methods the loop uses; it logs calls, statuses and codes, never message content. */
export interface MatrixLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

const silent: MatrixLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface MatrixBotOptions {
  client: MatrixClient;
  adapter: MessageReceiver;
  logger?: MatrixLogger;
  /** How long one `/sync` waits for news on the homeserver. Default 30 s. */
  pollTimeoutMs?: number;
  /** Largest file accepted from a user, checked before and while downloading. Default 4 MiB. */
  maxFileBytes?: number;
  /** Longest pause after repeated failures (1 s, 2 s, 4 s, … up to this). Default 30 s. */
  maxBackoffMs?: number;
}

/**
 * The first sync only learns the position (and pending invites): one timeline event per room is
 * enough, since none of them is answered.
 */
export const FIRST_SYNC_FILTER = JSON.stringify({ room: { timeline: { limit: 1 } } });

const Whoami = z.object({ user_id: z.string().min(1) });
const Joined = z.object({ room_id: z.string() });

export class MatrixBot {
  private readonly client: MatrixClient;
  private readonly adapter: MessageReceiver;
  private readonly logger: MatrixLogger;
  private readonly pollTimeoutMs: number;
  private readonly maxFileBytes: number;
  private readonly maxBackoffMs: number;
  private readonly rooms = new KeyedQueue();
  private readonly pending = new BackgroundTasks();
  /** Encrypted rooms told that Lotse cannot read them, so they are told once. */
  private readonly toldEncrypted = new Set<string>();
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private since: string | undefined;
  private ownUserId: string | undefined;
  private markSynced!: () => void;
  private readonly synced = new Promise<void>((resolve) => (this.markSynced = resolve));

  constructor(options: MatrixBotOptions) {
    this.client = options.client;
    this.adapter = options.adapter;
    this.logger = options.logger ?? silent;
    this.pollTimeoutMs = options.pollTimeoutMs ?? 30_000;
    this.maxFileBytes = options.maxFileBytes ?? 4 * 2 ** 20;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  /** The bot's own Matrix id, once `whoami` answered. */
  get userId(): string | undefined {
    return this.ownUserId;
  }

  /** Starts the loop in the background; a second call does nothing while it runs. */
  start(): void {
    if (this.loop) return;
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal);
  }

  /**
   * Aborts the waiting `/sync` and resolves when the loop has ended and the messages already
   * handed over have been answered.
   */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.loop = undefined;
    await this.whenIdle();
  }

  /** Resolves once the first sync is done: the position is known and pending invites joined. */
  whenSynced(): Promise<void> {
    return this.synced;
  }

  /** Resolves when every message handed over so far has been processed. */
  async whenIdle(): Promise<void> {
    await this.pending.whenIdle();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        this.ownUserId ??= await this.whoami(signal);
        await this.syncOnce(signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        const wait = Math.min(this.maxBackoffMs, 1000 * 2 ** Math.min(failures - 1, 20));
        this.logFailure(error, wait);
        try {
          await this.client.http.sleep(wait, signal);
        } catch {
          break;
        }
      }
    }
  }

  private async whoami(signal: AbortSignal): Promise<string> {
    const answer = await this.client.http.json(
      { call: 'whoami', method: 'GET', path: '/_matrix/client/v3/account/whoami', signal },
      Whoami,
    );
    this.logger.info({ userId: answer.user_id }, 'matrix: signed in');
    return answer.user_id;
  }

  private async syncOnce(signal: AbortSignal): Promise<void> {
    const first = this.since === undefined;
    const query: Record<string, string> = first
      ? { timeout: '0', filter: FIRST_SYNC_FILTER }
      : { since: this.since as string, timeout: String(this.pollTimeoutMs) };
    const body = await this.client.http.json(
      {
        call: 'sync',
        method: 'GET',
        path: '/_matrix/client/v3/sync',
        query,
        signal,
        timeoutMs: this.pollTimeoutMs + 30_000,
      },
      SyncEnvelope,
    );
    const batch = readSync(body);
    for (const roomId of batch.invites) await this.join(roomId, signal);
    if (!first) {
      const me = this.ownUserId as string;
      for (const room of batch.joined) {
        for (const event of freshEvents(room.events, me)) {
          if (event.sender !== me) this.enqueue(room.roomId, event);
        }
      }
    }
    this.since = batch.nextBatch;
    if (first) this.markSynced();
  }

  /** Accepts an invite. A refusal (invite withdrawn) is logged; a transport error retries the batch. */
  private async join(roomId: string, signal: AbortSignal): Promise<void> {
    try {
      await this.client.http.json(
        {
          call: 'join',
          method: 'POST',
          path: `/_matrix/client/v3/join/${pathSegment(roomId)}`,
          body: {},
          signal,
          idempotent: true,
        },
        Joined,
      );
      this.logger.info({}, 'matrix: joined a room on invite');
    } catch (error) {
      if (!(error instanceof MatrixApiError)) throw error;
      this.logger.warn(
        { status: error.status, errcode: error.errcode },
        'matrix: could not join a room',
      );
    }
  }

  private enqueue(roomId: string, event: RoomEvent): void {
    if (event.type === 'm.room.encrypted') {
      this.logger.info({ type: event.type }, 'matrix: message ignored by type');
      this.tellEncrypted(roomId);
      return;
    }
    const incoming = incomingOf(event);
    if (incoming.kind === 'ignored') {
      if (event.type === 'm.room.message') {
        this.logger.info({ type: incoming.reason }, 'matrix: message ignored by type');
      }
      return;
    }
    this.pending.run(() => this.rooms.run(roomId, () => this.deliver(roomId, event, incoming)));
  }

  /**
   * Says once per room that Lotse cannot read encrypted messages, in the room's queue so it comes
   * after the answers to what was written before. A failed send is logged and tried again with
   * the room's next encrypted message.
   */
  private tellEncrypted(roomId: string): void {
    if (this.toldEncrypted.has(roomId)) return;
    this.toldEncrypted.add(roomId);
    this.pending.run(() =>
      this.rooms.run(roomId, async () => {
        try {
          await this.client.sendNotice(roomId, matrixTexts.encryptedRoom);
        } catch (error) {
          this.toldEncrypted.delete(roomId);
          this.logger.warn(describe(error), 'matrix: the encryption notice could not be sent');
        }
      }),
    );
  }

  /** Builds the inbound message (a file as a loader) and hands it to the adapter. */
  private async deliver(
    roomId: string,
    event: RoomEvent,
    incoming: Exclude<Incoming, { kind: 'ignored' }>,
  ): Promise<void> {
    const message: InboundMessage = {
      deliveryId: event.event_id,
      chat: { chatId: roomId },
      userId: event.sender,
      sentAt: sentAtOf(event.origin_server_ts),
    };
    if (incoming.kind === 'text') message.text = incoming.text;
    if (incoming.kind === 'location') {
      message.location = { latitude: incoming.latitude, longitude: incoming.longitude };
    }
    if (incoming.kind === 'media') {
      message.file = () => this.loadFile(incoming);
      if (incoming.caption) message.text = incoming.caption;
    }
    try {
      await this.adapter.receive(message);
    } catch (error) {
      // The adapter answers failed turns itself; what reaches here is logged only.
      this.logger.error(describe(error), 'matrix: the adapter failed on a message');
    }
  }

  /**
   * Downloads a file the user sent; never throws. A declared size over the limit is `too-large`
   * without a download; a failed download is `unavailable` — the adapter tells the user.
   */
  private async loadFile(media: Extract<Incoming, { kind: 'media' }>): Promise<InboundFile> {
    const described = {
      contentType: media.contentType ?? 'application/octet-stream',
      ...(media.name ? { name: media.name } : {}),
    };
    const none = Buffer.alloc(0);
    if ((media.size ?? 0) > this.maxFileBytes) {
      return { bytes: none, ...described, problem: 'too-large' };
    }
    try {
      const file = await this.client.http.download(media.mxc, { maxBytes: this.maxFileBytes });
      return {
        ...described,
        bytes: file.bytes,
        contentType: media.contentType ?? file.contentType,
      };
    } catch (error) {
      if (error instanceof MatrixMediaTooLargeError) {
        return { bytes: none, ...described, problem: 'too-large' };
      }
      this.logger.warn(describe(error), 'matrix: a file could not be downloaded');
      return { bytes: none, ...described, problem: 'unavailable' };
    }
  }

  private logFailure(error: unknown, waitMs: number): void {
    const details = { ...describe(error), retryInMs: waitMs };
    if (error instanceof MatrixApiError && error.unauthorized) {
      this.logger.error(details, 'matrix: the homeserver refused the access token');
    } else {
      this.logger.warn(details, 'matrix: sync failed; retrying');
    }
  }
}

/** The event's time; one no `Date` can hold (a broken or hostile server's) counts as now. */
function sentAtOf(originServerTs: number): Date {
  const sent = new Date(originServerTs);
  return Number.isNaN(sent.getTime()) ? new Date() : sent;
}

/** Log details of an error: its kind, call, status and code — never a message's content. */
function describe(error: unknown): Record<string, unknown> {
  if (error instanceof MatrixApiError) {
    return { error: error.name, call: error.call, status: error.status, errcode: error.errcode };
  }
  if (error instanceof MatrixTransportError) {
    return { error: error.name, call: error.call, reason: error.message };
  }
  return { error: error instanceof Error ? error.name : typeof error };
}
