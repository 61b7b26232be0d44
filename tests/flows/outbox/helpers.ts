/**
 * Shared pieces of the outbox tests: an empty outbox per test, a fake clock, submissions and a
 * scripted connector. Not a test file itself.
 */
import { beforeEach } from 'vitest';
import type { Connector, DeliveryResult } from '../../../flows/connectors/connector.js';
import type { NewSubmission, OutboxSubmission } from '../../../flows/outbox/types.js';
import type { Stores } from '../../../storage/open-store.js';
import type { Backend, TestDatabase } from '../../storage/backends.js';
import { uniqueId, useStores } from '../../storage/backends.js';

/**
 * Opens stores on a new database of `backend` for the suite and empties the outbox before each
 * test: dispatchers claim every due row of the table, so tests must not see each other's rows.
 * (A fresh PostgreSQL schema per test would cost ~150 ms each.)
 */
export function useFreshStores(backend: Backend): {
  readonly stores: Stores;
  readonly database: TestDatabase;
} {
  const context = useStores(backend);
  beforeEach(async () => {
    await context.stores.sql.run('DELETE FROM outbox');
  });
  return context;
}

/** A clock that moves only when told to. */
export interface FakeClock {
  now(): Date;
  advance(ms: number): void;
  set(date: Date): void;
}

export function fakeClock(start = new Date('2026-03-02T09:00:00.000Z')): FakeClock {
  let time = start.getTime();
  return {
    now: () => new Date(time),
    advance: (ms) => {
      time += ms;
    },
    set: (date) => {
      time = date.getTime();
    },
  };
}

/** A defect report as the Mängelmelder flow would hand it over. */
export function submission(overrides: Partial<NewSubmission> = {}): NewSubmission {
  return {
    flow: 'maengelmelder',
    serviceId: '10115',
    connector: 'scripted',
    payload: {
      description: 'Schlagloch vor dem Haus',
      address: 'Hauptstraße 5, 80331 München',
      email: 'erika@example.org',
    },
    conversation: { conversation: { id: uniqueId('conversation') }, channelId: 'webchat' },
    ...overrides,
  };
}

/**
 * A connector that answers from a script, one step per call (the last step repeats), and records
 * what it was given. A step is a result, an error to throw, or a function of the submission.
 */
export type Step =
  DeliveryResult | Error | ((submission: OutboxSubmission) => Promise<DeliveryResult>);

export class ScriptedConnector implements Connector {
  readonly calls: OutboxSubmission[] = [];

  constructor(private readonly steps: Step[] = [{ reference: 'REF-1' }]) {}

  async deliver(submission: OutboxSubmission): Promise<DeliveryResult> {
    this.calls.push(submission);
    const step = this.steps[Math.min(this.calls.length - 1, this.steps.length - 1)];
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(submission);
    return step ?? {};
  }
}
