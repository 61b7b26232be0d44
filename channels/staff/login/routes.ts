/**
 * GET/POST /staff/login and POST /staff/logout. A login always starts a new session and ends the
 * one the request came with (session fixation), answers unknown users and wrong passwords alike
 * (same message, same hashing work), and counts wrong passwords per user name and per client
 * address: past the limit, attempts are refused with 429 and Retry-After before any hashing.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { StaffAccountStore } from '../../../storage/types.js';
import { KeyedSerializer, type LoginLimiter } from '../auth/login-limiter.js';
import { hashPassword, needsRehash, verifyPassword, type ScryptParams } from '../auth/password.js';
import { CONSOLE_HOME, safeNext, sentJson } from '../auth/request.js';
import { SESSION_COOKIE, type StaffSessions } from '../auth/sessions.js';
import { normaliseUsername } from '../auth/username.js';
import type { StaffPrincipal } from '../contract.js';
import { renderLoginPage } from './page.js';
import { LOGIN_TEXTS } from './texts.js';

export interface LoginOptions {
  accounts: StaffAccountStore;
  sessions: StaffSessions;
  limiter: LoginLimiter;
  passwordParams: ScryptParams;
  /** Lifetime of the cookie; the server ends the session by then anyway. */
  sessionMaxMs: number;
  /** True when the cookie must be `Secure` (the request came over TLS, or the public URL is https). */
  secure: (req: FastifyRequest) => boolean;
  now: () => Date;
  /** Runs after a logout ended the session (the console marks the agent offline). */
  onLogout?: (staff: StaffPrincipal) => Promise<void>;
}

const LoginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
  next: z.string().optional(),
});

export const loginRoutes: FastifyPluginAsync<LoginOptions> = async (app, options) => {
  const t = LOGIN_TEXTS.de;
  const serializer = new KeyedSerializer();

  const cookieOptions = (req: FastifyRequest) => ({
    path: CONSOLE_HOME,
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: options.secure(req),
    maxAge: Math.floor(options.sessionMaxMs / 1000),
  });

  /** A failed login as JSON or as the form again, with the error summary. */
  function refuse(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    code: string,
    message: string,
    form: { next: string; username?: string },
  ) {
    reply.code(status);
    if (sentJson(req)) return reply.send({ error: { code, message } });
    return reply
      .type('text/html; charset=utf-8')
      .send(renderLoginPage({ ...form, error: message }));
  }

  app.get<{ Querystring: { next?: string; logout?: string } }>(
    '/staff/login',
    { config: { permission: 'public' } },
    async (req, reply) => {
      const next = safeNext(req.query.next);
      if (req.staff) return reply.redirect(next, 303);
      return reply
        .type('text/html; charset=utf-8')
        .send(renderLoginPage({ next, ...(req.query.logout ? { notice: t.loggedOut } : {}) }));
    },
  );

  app.post('/staff/login', { config: { permission: 'public' } }, async (req, reply) => {
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(raw.next);
    const parsed = LoginBody.safeParse(raw);
    if (!parsed.success) {
      return refuse(req, reply, 400, 'LOTSE_STAFF_LOGIN_INVALID', t.invalid, { next });
    }
    const username = normaliseUsername(parsed.data.username);
    const userKey = `user:${username}`;
    const keys = [userKey, `ip:${req.ip}`];
    const form = { next, username };
    return serializer.run(keys, async () => {
      const now = options.now();
      const wait = await options.limiter.retryAfter(keys, now);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        const minutes = Math.max(1, Math.ceil(wait / 60));
        return refuse(req, reply, 429, 'LOTSE_STAFF_LOGIN_LIMITED', t.limited(minutes), form);
      }
      const account = await options.accounts.get(username);
      const valid = await verifyPassword(
        parsed.data.password,
        account?.passwordHash,
        options.passwordParams,
      );
      if (!valid || !account || account.disabledAt) {
        await options.limiter.recordFailure(keys, now);
        req.log.info({ event: 'staff-login-failed' }, 'staff login failed');
        return refuse(req, reply, 401, 'LOTSE_STAFF_LOGIN_FAILED', t.failed, form);
      }
      await options.limiter.reset(userKey);
      if (needsRehash(account.passwordHash, options.passwordParams)) {
        const upgraded = await hashPassword(parsed.data.password, options.passwordParams);
        await options.accounts.setPasswordHash(account.username, upgraded);
      }
      // Never keep a session id the browser brought along: it may have been planted.
      await options.sessions.end(req.cookies[SESSION_COOKIE]);
      const started = await options.sessions.start(account.username);
      if (!started) return refuse(req, reply, 401, 'LOTSE_STAFF_LOGIN_FAILED', t.failed, form);
      reply.setCookie(SESSION_COOKIE, started.id, cookieOptions(req));
      req.log.info({ event: 'staff-login', role: started.staff.role }, 'staff login');
      if (!sentJson(req)) return reply.redirect(next, 303);
      return {
        username: started.staff.username,
        role: started.staff.role,
        displayName: started.staff.displayName,
        csrfToken: started.staff.csrfToken,
      };
    });
  });

  app.post('/staff/logout', { config: { permission: 'session' } }, async (req, reply) => {
    await options.sessions.end(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
    if (req.staff && options.onLogout) await options.onLogout(req.staff);
    if (sentJson(req) || !(req.headers.accept ?? '').includes('text/html')) {
      return reply.code(204).send();
    }
    return reply.redirect('/staff/login?logout=1', 303);
  });
};
