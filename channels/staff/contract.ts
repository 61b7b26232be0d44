/**
 * What every part of the staff console agrees on: who is asking (the principal the auth layer
 * puts on each request), what a role may do, and what a console module gets to work with. Routes
 * declare the permission they need in their route config; the auth layer refuses any route in
 * the console's scope that declares none, so a forgotten check fails closed.
 */
import type { Config } from '../config.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { FlowRegistry } from '../../flows/registry.js';
import type { StaffRole } from '../../storage/types.js';
import type { Stores } from '../../storage/open-store.js';
import type { HandoffService } from '../../bot/handoff/handoff-service.js';
import type { HandoffEvents } from '../../bot/handoff/events.js';
import type { TokenIssuer } from '../directline/tokens.js';

/**
 * What a route may need. `public` routes (login page, assets) need no session. `apply` is
 * entering an application for a caller, kept apart from `assist` (looking answers up).
 */
export type Permission =
  'public' | 'session' | 'assist' | 'apply' | 'handoff' | 'insights' | 'admin';

/**
 * Agents answer callers, enter applications for them and take chats; editors improve content
 * from insights and may look answers up, but do not act for callers; admins may do all.
 * `session` is any logged-in user (logout, the start page).
 */
export const ROLE_PERMISSIONS: Readonly<Record<StaffRole, readonly Permission[]>> = {
  agent: ['session', 'assist', 'apply', 'handoff'],
  editor: ['session', 'assist', 'insights'],
  admin: ['session', 'assist', 'apply', 'handoff', 'insights', 'admin'],
};

/** True when `role` has `permission` (everyone has `public`). */
export function can(role: StaffRole | undefined, permission: Permission): boolean {
  if (permission === 'public') return true;
  return role !== undefined && ROLE_PERMISSIONS[role].includes(permission);
}

/** The logged-in staff member of a request. */
export interface StaffPrincipal {
  username: string;
  role: StaffRole;
  /** How citizens see this person ("Anna, Service-Team"); the username when none is set. */
  displayName: string;
  /** Echo it in `x-csrf-token` (fetch) or `_csrf` (forms) on every POST, PUT, PATCH, DELETE. */
  csrfToken: string;
  /** SHA-256 of the session id, to end this session on logout. */
  sessionIdHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the console's auth hook for a valid session; undefined otherwise. */
    staff?: StaffPrincipal;
  }
  interface FastifyContextConfig {
    /** Required on every route inside /staff; see `Permission`. */
    permission?: Permission;
  }
}

/** What each console module (assist, handoff, insights, admin) is registered with. */
export interface StaffModuleOptions {
  config: Config;
  knowledge: KnowledgeBase;
  stores: Stores;
  registry: FlowRegistry;
  handoffs: HandoffService;
  events: HandoffEvents;
  /** Issues Direct Line tokens for conversations staff run on a caller's behalf. */
  issuer: TokenIssuer;
}
