/** The retention timer: runs at start and per interval, never twice at once, survives failures. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetentionJob } from '../../storage/retention-job.js';
import type { RetentionReport, RetentionStore } from '../../storage/types.js';

const report = (conversations: number): RetentionReport => ({
  conversations,
  activities: 0,
  botState: 0,
  uploads: 0,
  handoffRequests: 0,
  feedback: 0,
  questionLog: 0,
  flowEvents: 0,
  channelDeliveries: 0,
  channelChoices: 0,
  staffSessions: 0,
});

function fixture(run: RetentionStore['run']) {
  const log = { info: vi.fn(), warn: vi.fn() };
  const retention = { run: vi.fn(run) };
  const now = new Date('2030-01-01T00:00:00.000Z');
  const job = new RetentionJob({
    retention,
    policy: { days: 30, insightsDays: 180 },
    log,
    now: () => now,
  });
  return { job, log, retention, now };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RetentionJob', () => {
  it('runs with the policy and logs what it deleted', async () => {
    const { job, log, retention, now } = fixture(async () => report(3));
    expect(await job.runOnce()).toEqual(report(3));
    expect(retention.run).toHaveBeenCalledWith(now, { days: 30, insightsDays: 180 });
    expect(log.info).toHaveBeenCalledWith({ deleted: report(3) }, 'retention');
    log.info.mockClear();
    retention.run.mockResolvedValueOnce(report(0));
    await job.runOnce();
    expect(log.info).not.toHaveBeenCalled();
  });

  it('skips a run while one is still going', async () => {
    let finish!: (r: RetentionReport) => void;
    const { job, retention } = fixture(
      () =>
        new Promise<RetentionReport>((resolve) => {
          finish = resolve;
        }),
    );
    const first = job.runOnce();
    expect(await job.runOnce()).toBeUndefined();
    finish(report(1));
    expect(await first).toEqual(report(1));
    expect(retention.run).toHaveBeenCalledTimes(1);
  });

  it('logs a failure and runs again at the next tick', async () => {
    vi.useFakeTimers();
    const { job, log, retention } = fixture(async () => {
      throw new Error('database gone');
    });
    job.start(1000);
    await vi.waitFor(() => expect(log.warn).toHaveBeenCalledTimes(1));
    expect(log.warn).toHaveBeenCalledWith({ err: 'database gone' }, 'retention failed');
    retention.run.mockResolvedValue(report(2));
    await vi.advanceTimersByTimeAsync(1000);
    expect(retention.run).toHaveBeenCalledTimes(2);
    await job.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(retention.run).toHaveBeenCalledTimes(2);
  });
});
