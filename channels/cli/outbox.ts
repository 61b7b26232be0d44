/**
 * `lotse outbox list [--json] [--status S] [--limit N]` and `lotse outbox retry RECEIPT`: what
 * operators need to see that no application is stuck or lost (dead letters included), and to
 * send a dead-lettered one again once the cause is fixed.
 */
import { parseArgs } from 'node:util';
import type { OutboxRecord, OutboxStatus, OutboxStore } from '../../flows/outbox/types.js';
import { OUTBOX_STATUSES } from '../../flows/outbox/types.js';
import { positiveInt } from './args.js';
import { EXIT, UsageError, type Io } from './io.js';

export const OUTBOX_USAGE = `lotse outbox list [--json] [--status pending|delivered|rejected|dead] [--limit N]
lotse outbox retry RECEIPT`;

/** Runs an `outbox` subcommand and returns the exit code. */
export async function outboxCommand(
  args: string[],
  stores: { outbox: Pick<OutboxStore, 'list' | 'requeue'> },
  io: Io,
  now: () => Date = () => new Date(),
): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case 'list':
      return list(rest, stores.outbox, io);
    case 'retry':
      return retry(rest, stores.outbox, io, now);
    default:
      throw new UsageError(
        `outbox needs a subcommand (list or retry), got ${JSON.stringify(subcommand ?? '')}\n${OUTBOX_USAGE}`,
      );
  }
}

async function list(args: string[], outbox: Pick<OutboxStore, 'list'>, io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      status: { type: 'string' },
      limit: { type: 'string', default: '50' },
    },
  });
  const status = values.status;
  if (status !== undefined && !OUTBOX_STATUSES.includes(status as OutboxStatus)) {
    throw new UsageError(
      `--status must be one of ${OUTBOX_STATUSES.join(', ')}, got ${JSON.stringify(status)}`,
    );
  }
  const records = await outbox.list({
    ...(status ? { status: status as OutboxStatus } : {}),
    limit: positiveInt('--limit', values.limit),
  });
  if (values.json) {
    io.out(JSON.stringify(records.map(summary)));
    return EXIT.ok;
  }
  if (records.length === 0) {
    io.out(status ? `No ${status} submissions.` : 'The outbox is empty.');
    return EXIT.ok;
  }
  io.out(['receipt', 'flow', 'status', 'attempts', 'next attempt', 'last error'].join('\t'));
  for (const record of records) {
    const row = summary(record);
    io.out(
      [
        row.receipt,
        row.flow,
        row.status,
        row.attempts,
        row.status === 'pending' ? row.nextAttemptAt : '-',
        row.lastError ?? '-',
      ].join('\t'),
    );
  }
  return EXIT.ok;
}

async function retry(
  args: string[],
  outbox: Pick<OutboxStore, 'requeue'>,
  io: Io,
  now: () => Date,
): Promise<number> {
  const receipt = args.join(' ').trim();
  if (!receipt) throw new UsageError(`outbox retry needs a receipt\n${OUTBOX_USAGE}`);
  if (!(await outbox.requeue(receipt, now()))) {
    io.err(`lotse: no dead submission with receipt ${JSON.stringify(receipt)}`);
    return EXIT.failure;
  }
  io.out(`Queued ${receipt} for delivery again.`);
  return EXIT.ok;
}

/** The listed facts of a submission; no payload (personal data stays in the database). */
function summary(record: OutboxRecord) {
  return {
    receipt: record.receipt,
    flow: record.flow,
    connector: record.connector,
    status: record.status,
    attempts: record.attempts,
    nextAttemptAt: record.nextAttemptAt,
    lastError: record.lastError ?? null,
    backendReference: record.backendReference ?? null,
    createdAt: record.createdAt,
  };
}
