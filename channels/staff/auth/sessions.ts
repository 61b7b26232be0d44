/**
 * Console sessions: a random id in the cookie, only its SHA-256 in the store (a leaked table hands
 * out no sessions), a CSRF token per session, an idle and an absolute end, and the account
 * checked on every request so a disabled account or a changed role takes effect at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StaffAccountStore, StaffSessionStore } from '../../../storage/types.js';
import type { StaffPrincipal } from '../contract.js';

/** The cookie carrying the session id. */
export const SESSION_COOKIE = 'lotse_staff';
/** `lastSeenAt` is written at most this often, so browsing does not write on every request. */
export const TOUCH_INTERVAL_MS = 60_000;

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

/** A fresh random token (32 bytes, base64url). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a session id. */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export class StaffSessions {
  constructor(
    private readonly stores: { staffAccounts: StaffAccountStore; staffSessions: StaffSessionStore },
    private readonly limits: SessionLimits,
    private readonly now: () => Date,
  ) {}

  /**
   * Starts a session for `username` and returns the cookie value and the principal. Expired
   * sessions of everyone are swept here, so the table does not grow without a timer.
   */
  async start(username: string): Promise<{ id: string; staff: StaffPrincipal } | undefined> {
    const account = await this.stores.staffAccounts.get(username);
    if (!account || account.disabledAt) return undefined;
    const now = this.now();
    await this.stores.staffSessions.deleteExpired(
      now.toISOString(),
      new Date(now.getTime() - this.limits.idleMs).toISOString(),
    );
    const id = randomToken();
    const session = {
      idHash: hashSessionId(id),
      username: account.username,
      csrfToken: randomToken(),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.limits.maxMs).toISOString(),
    };
    await this.stores.staffSessions.create(session);
    return {
      id,
      staff: {
        username: account.username,
        role: account.role,
        displayName: account.displayName ?? account.username,
        csrfToken: session.csrfToken,
        sessionIdHash: session.idHash,
      },
    };
  }

  /** The principal of a cookie value, or undefined when the session is unknown, over or disabled. */
  async resolve(id: string | undefined): Promise<StaffPrincipal | undefined> {
    if (!id || id.length > 128) return undefined;
    const idHash = hashSessionId(id);
    const session = await this.stores.staffSessions.get(idHash);
    if (!session) return undefined;
    const now = this.now().getTime();
    const lastSeen = Date.parse(session.lastSeenAt);
    if (now >= Date.parse(session.expiresAt) || now - lastSeen >= this.limits.idleMs) {
      await this.stores.staffSessions.delete(idHash);
      return undefined;
    }
    const account = await this.stores.staffAccounts.get(session.username);
    if (!account || account.disabledAt) {
      await this.stores.staffSessions.delete(idHash);
      return undefined;
    }
    if (now - lastSeen >= TOUCH_INTERVAL_MS) {
      await this.stores.staffSessions.touch(idHash, new Date(now).toISOString());
    }
    return {
      username: account.username,
      role: account.role,
      displayName: account.displayName ?? account.username,
      csrfToken: session.csrfToken,
      sessionIdHash: idHash,
    };
  }

  /** Ends the session with this cookie value (login over an old one, logout). */
  async end(id: string | undefined): Promise<void> {
    if (id && id.length <= 128) await this.stores.staffSessions.delete(hashSessionId(id));
  }
}
