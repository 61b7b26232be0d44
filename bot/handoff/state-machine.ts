/**
 * The rules of a handoff to a person, as data: which event may move a request from which status
 * to which. Pure, so the store can apply a transition as one compare-and-set and every allowed
 * and forbidden move is testable without a database.
 *
 *   pending ──assign──▶ assigned ──resolve──▶ resolved
 *      │                   │
 *      ├──reject/expire──▶ rejected / expired ◀──reject/expire──┘
 */
import type { HandoffStatus } from '../../storage/types.js';

/** What can happen to a request. */
export type HandoffEvent = 'assign' | 'resolve' | 'reject' | 'expire';

export const HANDOFF_EVENTS: readonly HandoffEvent[] = ['assign', 'resolve', 'reject', 'expire'];

export const HANDOFF_STATUSES: readonly HandoffStatus[] = [
  'pending',
  'assigned',
  'resolved',
  'rejected',
  'expired',
];

/** For each event: the statuses it may start from and the status it leads to. */
export const HANDOFF_TRANSITIONS: Readonly<
  Record<HandoffEvent, { from: readonly HandoffStatus[]; to: HandoffStatus }>
> = {
  assign: { from: ['pending'], to: 'assigned' },
  resolve: { from: ['assigned'], to: 'resolved' },
  reject: { from: ['pending', 'assigned'], to: 'rejected' },
  expire: { from: ['pending', 'assigned'], to: 'expired' },
};

/** The status after `event`, or undefined when the event is not allowed in `status`. */
export function nextHandoffStatus(
  status: HandoffStatus,
  event: HandoffEvent,
): HandoffStatus | undefined {
  const rule = HANDOFF_TRANSITIONS[event];
  return rule.from.includes(status) ? rule.to : undefined;
}

/** Closed requests never change again. */
export function isClosed(status: HandoffStatus): boolean {
  return status === 'resolved' || status === 'rejected' || status === 'expired';
}
