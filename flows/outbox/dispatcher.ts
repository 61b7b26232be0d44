/**
 * Delivers the outbox: claims due submissions under a lease, hands each to its connector and
 * records the outcome. Any number of dispatchers (threads of one process, or processes sharing
 * PostgreSQL) may run at once: the store's claim gives each row to one of them.
 *
 * Outcomes: delivered → `delivered`; a permanent refusal → `dead` at once with the backend's
 * reason; a transient failure → retried after `retryDelayMs`, and `dead` after the last attempt.
 * Nothing is ever dropped. A dispatcher killed mid-delivery leaves its rows leased; when the
 * lease runs out they are claimed again (at least once: receivers de-duplicate by idempotency
 * key). Choose `leaseMs` well above the connectors' timeouts, or a slow but live delivery may be
 * repeated by another dispatcher.
 */
import type { Connector } from '../connectors/connector.js';
import { DeliveryError } from '../connectors/connector.js';
import type { BackoffPolicy } from './backoff.js';
import { DEFAULT_BACKOFF, isLastAttempt, retryDelayMs, validateBackoff } from './backoff.js';
import { OutboxError } from './errors.js';
import type {
  OutboxLogger,
  OutboxRecord,
  OutboxStatusEvent,
  OutboxStatusListener,
  OutboxStore,
  OutboxSubmission,
} from './types.js';
import { silentLogger } from './types.js';

export interface DispatcherOptions {
  /** The outbox to drain (only the claim and mark operations are used). */
  outbox: Pick<OutboxStore, 'claimDue' | 'markDelivered' | 'markRetry' | 'markDead'>;
  /** The configured connectors by name; a submission names the one that delivers it. */
  connectors: Readonly<Record<string, Connector>>;
  /** The time source for claims and retry schedules; tests pass a fake one. */
  clock?: { now(): Date };
  /** The retry schedule; default `DEFAULT_BACKOFF` (≈ a day of attempts). */
  backoff?: BackoffPolicy;
  /** How long a claim holds a submission; default 120 000 ms (connectors time out at 30 s). */
  leaseMs?: number;
  /** Submissions claimed and delivered concurrently per round; default 10. */
  batchSize?: number;
  /** Told about every outcome, e.g. to send the user a proactive message. */
  onStatus?: OutboxStatusListener;
  logger?: OutboxLogger;
}

export class Dispatcher {
  private readonly outbox: DispatcherOptions['outbox'];
  private readonly connectors: Readonly<Record<string, Connector>>;
  private readonly clock: { now(): Date };
  private readonly backoff: BackoffPolicy;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly onStatus: OutboxStatusListener | undefined;
  private readonly logger: OutboxLogger;
  private readonly inFlight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(options: DispatcherOptions) {
    this.outbox = options.outbox;
    this.connectors = options.connectors;
    this.clock = options.clock ?? { now: () => new Date() };
    this.backoff = validateBackoff(options.backoff ?? DEFAULT_BACKOFF);
    this.leaseMs = positive('leaseMs', options.leaseMs ?? 120_000);
    this.batchSize = positive('batchSize', options.batchSize ?? 10);
    this.onStatus = options.onStatus;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * One round: claims up to `batchSize` due submissions, delivers them concurrently and records
   * every outcome. Resolves with the number claimed once all of them are settled. Rejects only
   * when the claim itself fails (database unreachable); a failed outcome write is logged and the
   * lease makes the row come back.
   */
  runOnce(): Promise<number> {
    return this.track(this.round());
  }

  /**
   * Runs rounds until `stop()`: the next round starts `intervalMs` after one ends, or at once
   * when a round was full (there may be more due). Errors are logged; the loop keeps going.
   */
  start(intervalMs: number): void {
    positive('intervalMs', intervalMs);
    if (this.running) return;
    this.running = true;
    const tick = async () => {
      this.timer = undefined;
      let claimed = 0;
      try {
        claimed = await this.runOnce();
      } catch (error) {
        this.logger.error({ err: error }, 'outbox: claiming due submissions failed');
      }
      if (this.running) this.timer = setTimeout(tick, claimed >= this.batchSize ? 0 : intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the loop and resolves when every delivery in flight has been recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async round(): Promise<number> {
    // Only what this dispatcher can deliver: flows without a configured backend wait in the outbox.
    const claimed = await this.outbox.claimDue(
      this.clock.now(),
      this.batchSize,
      this.leaseMs,
      Object.keys(this.connectors),
    );
    await Promise.all(claimed.map((record) => this.settle(record)));
    return claimed.length;
  }

  /** Delivers one claimed submission and records the outcome; never throws. */
  private async settle(record: OutboxRecord): Promise<void> {
    try {
      if (record.attempts > this.backoff.maxAttempts) {
        // A previous holder's lease ran out during the last allowed attempt (it crashed or hung):
        // stop here rather than loop forever on a submission that may be what kills the process.
        const error = `delivery interrupted; ${record.attempts - 1} attempts started, none finished`;
        await this.dead(record, error);
        return;
      }
      const connector = this.connectors[record.connector];
      const result = connector
        ? await this.attempt(connector, record)
        : new DeliveryError('transient', `no connector named "${record.connector}" is configured`);
      if (result instanceof DeliveryError) await this.failed(record, result);
      else await this.delivered(record, result.reference);
    } catch (error) {
      this.logger.error(
        { err: error, id: record.id, receipt: record.receipt },
        'outbox: recording a delivery outcome failed; the lease will bring the submission back',
      );
    }
  }

  private async attempt(
    connector: Connector,
    record: OutboxRecord,
  ): Promise<{ reference?: string } | DeliveryError> {
    try {
      return await connector.deliver(toSubmission(record));
    } catch (error) {
      if (error instanceof DeliveryError) return error;
      // A bug or an unexpected failure inside the connector: worth another try, never a loss.
      return new DeliveryError('transient', `connector failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private async delivered(record: OutboxRecord, reference: string | undefined): Promise<void> {
    if (!(await this.outbox.markDelivered(record.id, reference))) return;
    this.logger.info(this.describe(record), 'outbox: delivered');
    await this.emit({ type: 'delivered', record, ...(reference ? { reference } : {}) });
  }

  private async failed(record: OutboxRecord, error: DeliveryError): Promise<void> {
    if (error.kind === 'permanent') {
      await this.dead(record, `refused by the backend: ${error.message}`);
    } else if (isLastAttempt(this.backoff, record.attempts)) {
      await this.dead(record, `gave up after ${record.attempts} attempts: ${error.message}`);
    } else {
      const delay = retryDelayMs(this.backoff, record.attempts, error.retryAfterMs);
      const next = new Date(this.clock.now().getTime() + delay);
      if (!(await this.outbox.markRetry(record.id, error.message, next))) return;
      this.logger.warn(
        { ...this.describe(record), error: error.message, nextAttemptAt: next.toISOString() },
        'outbox: delivery failed; retry scheduled',
      );
      await this.emit({
        type: 'retry-scheduled',
        record,
        error: error.message,
        nextAttemptAt: next.toISOString(),
      });
    }
  }

  private async dead(record: OutboxRecord, error: string): Promise<void> {
    if (!(await this.outbox.markDead(record.id, error))) return;
    this.logger.error({ ...this.describe(record), error }, 'outbox: submission dead-lettered');
    await this.emit({ type: 'dead', record, error });
  }

  private async emit(event: OutboxStatusEvent): Promise<void> {
    try {
      await this.onStatus?.(event);
    } catch (error) {
      this.logger.error(
        { err: error, ...this.describe(event.record), event: event.type },
        'outbox: a status listener failed',
      );
    }
  }

  private describe(record: OutboxRecord): object {
    const { id, receipt, flow, connector, attempts } = record;
    return { id, receipt, flow, connector, attempts };
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const forget = () => this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}

function toSubmission(record: OutboxRecord): OutboxSubmission {
  const { id, receipt, flow, serviceId, idempotencyKey, payload, createdAt, attempts } = record;
  return { id, receipt, flow, serviceId, idempotencyKey, payload, createdAt, attempts };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new OutboxError(
      'LOTSE_OUTBOX_INVALID_CONFIG',
      `outbox: dispatcher option ${name} must be a positive number, got ${value}`,
    );
  }
  return value;
}
