/**
 * The console's gate, installed once on its scope so every route inside passes it:
 * `onRequest` finds the session (`req.staff`), refuses cross-site writes and WebSocket handshakes,
 * and checks the route's declared permission — a route that declares none is refused, so a
 * forgotten check fails closed. `preValidation` (after the body is parsed, before any schema or
 * handler runs) checks the CSRF token of every state-changing request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from '../../secrets.js';
import { can } from '../contract.js';
import { deny } from './deny.js';
import {
  CONSOLE_HOME,
  crossOrigin,
  isUnsafe,
  isWebSocketUpgrade,
  safeNext,
  wantsHtml,
} from './request.js';
import { SESSION_COOKIE, type StaffSessions } from './sessions.js';

/** The header scripts echo the CSRF token in; forms send the field `_csrf` instead. */
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export interface AuthHookOptions {
  sessions: StaffSessions;
  /** The configured public URL; its origin counts as our own. */
  publicUrl: string | undefined;
}

/** Installs the gate on `app` (the console's encapsulated scope). */
export function installAuthHooks(app: FastifyInstance, options: AuthHookOptions): void {
  app.decorateRequest('staff', undefined);

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const permission = req.routeOptions.config.permission;
    req.staff = await options.sessions.resolve(req.cookies[SESSION_COOKIE]);
    if (permission === undefined) {
      req.log.error({ route: req.routeOptions.url }, 'staff route declares no permission: refused');
      return deny(req, reply, 'forbidden');
    }
    if ((isUnsafe(req.method) || isWebSocketUpgrade(req)) && crossOrigin(req, options.publicUrl)) {
      return deny(req, reply, 'csrf');
    }
    if (permission === 'public') return;
    if (!req.staff) {
      if ((req.method === 'GET' || req.method === 'HEAD') && wantsHtml(req)) {
        const next = safeNext(req.url);
        const query = next === CONSOLE_HOME ? '' : `?next=${encodeURIComponent(next)}`;
        return reply.redirect(`/staff/login${query}`, 303);
      }
      return deny(req, reply, 'unauthenticated');
    }
    if (!can(req.staff.role, permission)) return deny(req, reply, 'forbidden');
  });

  app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!isUnsafe(req.method) || req.routeOptions.config.permission === 'public') return;
    const staff = req.staff;
    const header = req.headers[CSRF_HEADER];
    const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    const token = typeof header === 'string' ? header : field;
    if (!staff || typeof token !== 'string' || !sameSecret(token, staff.csrfToken)) {
      return deny(req, reply, 'csrf');
    }
  });
}
