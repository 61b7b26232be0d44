/**
 * Every pair of status and event: the allowed moves lead where the issue says, every other pair
 * is refused, and closed requests never move again.
 */
import { describe, expect, it } from 'vitest';
import {
  HANDOFF_EVENTS,
  HANDOFF_STATUSES,
  isClosed,
  nextHandoffStatus,
  type HandoffEvent,
} from '../../../bot/handoff/state-machine.js';
import type { HandoffStatus } from '../../../storage/types.js';

const ALLOWED: [HandoffStatus, HandoffEvent, HandoffStatus][] = [
  ['pending', 'assign', 'assigned'],
  ['assigned', 'resolve', 'resolved'],
  ['pending', 'reject', 'rejected'],
  ['assigned', 'reject', 'rejected'],
  ['pending', 'expire', 'expired'],
  ['assigned', 'expire', 'expired'],
];

const allowed = new Map(ALLOWED.map(([from, event, to]) => [`${from}:${event}`, to]));
const FORBIDDEN = HANDOFF_STATUSES.flatMap((from) =>
  HANDOFF_EVENTS.filter((event) => !allowed.has(`${from}:${event}`)).map(
    (event) => [from, event] as const,
  ),
);

describe('handoff state machine', () => {
  it.each(ALLOWED)('allows %s --%s--> %s', (from, event, to) => {
    expect(nextHandoffStatus(from, event)).toBe(to);
  });

  it.each(FORBIDDEN)('refuses %s --%s-->', (from, event) => {
    expect(nextHandoffStatus(from, event)).toBeUndefined();
  });

  it('covers all 20 pairs: 6 allowed, 14 forbidden', () => {
    expect(ALLOWED.length + FORBIDDEN.length).toBe(HANDOFF_STATUSES.length * HANDOFF_EVENTS.length);
    expect(FORBIDDEN).toHaveLength(14);
  });

  it('treats resolved, rejected and expired as closed, and nothing leaves them', () => {
    for (const status of HANDOFF_STATUSES) {
      const closed = isClosed(status);
      expect(closed).toBe(['resolved', 'rejected', 'expired'].includes(status));
      if (closed) {
        for (const event of HANDOFF_EVENTS)
          expect(nextHandoffStatus(status, event)).toBeUndefined();
      }
    }
  });
});
