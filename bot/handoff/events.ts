/**
 * What the staff console hears live: the queue changed, a request changed hands, a citizen wrote
 * in a conversation an agent holds. In one process an EventEmitter carries them; with several
 * instances the same interface is carried over Redis pub/sub, so the console of an agent on
 * instance A hears a citizen whose turn ran on instance B.
 */
import { EventEmitter } from 'node:events';
import type { HandoffRequest } from '../../storage/types.js';

/** A message in a handed-off conversation, as the console shows it. */
export interface HandoffMessage {
  /** `citizen`, or `agent` with the staff username in `agent`. */
  from: 'citizen' | 'agent' | 'bot';
  agent?: string;
  text: string;
  timestamp: string;
}

export type HandoffNotice =
  /** A request was queued, taken or closed: consoles refresh their queue. */
  | { type: 'handoff-updated'; handoff: HandoffRequest }
  /** A message in an open handoff's conversation (citizen or agent). */
  | { type: 'handoff-message'; handoffId: string; conversationId: string; message: HandoffMessage }
  /** Agents came or went: consoles refresh who is online. */
  | { type: 'presence-changed' }
  /** A staff member logged out or was locked: their open streams check their session at once. */
  | { type: 'staff-signed-out'; username: string };

/** Publish/subscribe for console notices. */
export interface HandoffEvents {
  publish(notice: HandoffNotice): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (notice: HandoffNotice) => void): () => void;
}

/** The in-process implementation (one instance). */
export class LocalHandoffEvents implements HandoffEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open console page listens; the default limit of 10 would warn with 11 agents.
    this.emitter.setMaxListeners(0);
  }

  async publish(notice: HandoffNotice): Promise<void> {
    this.emitter.emit('notice', notice);
  }

  subscribe(listener: (notice: HandoffNotice) => void): () => void {
    this.emitter.on('notice', listener);
    return () => this.emitter.off('notice', listener);
  }
}
