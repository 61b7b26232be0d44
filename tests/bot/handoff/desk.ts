/**
 * A handoff desk over real stores for bot and console tests, with a messenger that records what
 * would reach the citizen (the real channel path is covered end to end in tests/e2e).
 */
import type { Activity } from 'botbuilder';
import { LocalHandoffEvents, type HandoffNotice } from '../../../bot/handoff/events.js';
import {
  DEFAULT_DEPARTMENT,
  HandoffService,
  type CitizenMessenger,
} from '../../../bot/handoff/handoff-service.js';
import type { Stores } from '../../../storage/open-store.js';

/** Records proactive messages; `deliverable = false` plays a channel without proactive messages. */
export class RecordingMessenger implements CitizenMessenger {
  readonly sent: { conversation: Record<string, unknown>; activity: Partial<Activity> }[] = [];
  deliverable = true;

  async send(conversation: Record<string, unknown>, activity: Partial<Activity>) {
    if (!this.deliverable) return false;
    this.sent.push({ conversation, activity });
    return true;
  }

  /** Texts sent into one conversation. */
  textsTo(conversationId: string): string[] {
    return this.sent
      .filter((s) => (s.conversation.conversation as { id?: string })?.id === conversationId)
      .map((s) => s.activity.text ?? '');
  }
}

export interface Desk {
  service: HandoffService;
  messenger: RecordingMessenger;
  events: LocalHandoffEvents;
  notices: HandoffNotice[];
}

export const MINUTE = 60_000;

/** A desk with 60 s presence, 30 min pending expiry and 30 min idle expiry. */
export function handoffDesk(
  stores: Stores,
  now: () => Date,
  departments: Record<string, string> = {},
): Desk {
  const messenger = new RecordingMessenger();
  const events = new LocalHandoffEvents();
  const notices: HandoffNotice[] = [];
  events.subscribe((n) => notices.push(n));
  const service = new HandoffService({
    store: stores.handoffs,
    presence: stores.presence,
    transcripts: stores.transcripts,
    events,
    messenger,
    departmentOf: (id) => (id ? departments[id] : undefined) ?? DEFAULT_DEPARTMENT,
    now,
    presenceTimeoutMs: 60_000,
    pendingExpiryMs: 30 * MINUTE,
    assignedIdleMs: 30 * MINUTE,
  });
  return { service, messenger, events, notices };
}
