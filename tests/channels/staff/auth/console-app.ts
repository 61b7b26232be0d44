/**
 * A fastify app with the console's foundation (cookies, headers, auth gate, assets, login), the
 * admin module and a few probe routes, on real in-memory stores and a fake clock, for driving the
 * auth layer with `inject()`. Passwords use cheap scrypt parameters here; the default ones are
 * tested in password.test.ts.
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../../../channels/config.js';
import { adminRoutes } from '../../../../channels/staff/admin/routes.js';
import type { LoginLimiter } from '../../../../channels/staff/auth/login-limiter.js';
import { hashPassword, type ScryptParams } from '../../../../channels/staff/auth/password.js';
import { setUpStaffScope } from '../../../../channels/staff/foundation.js';
import type { StaffPrincipal } from '../../../../channels/staff/contract.js';
import { openStores, type Stores } from '../../../../storage/open-store.js';
import type { StaffRole } from '../../../../storage/types.js';

export const FAST_SCRYPT: ScryptParams = { ln: 4, r: 8, p: 1 };
export const PASSWORD = 'richtig-langes-passwort';

export interface FakeClock {
  now: () => Date;
  advance(ms: number): void;
}

export function fakeClock(start = '2026-03-02T08:00:00.000Z'): FakeClock {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

export interface ConsoleApp {
  app: FastifyInstance;
  stores: Stores;
  config: Config;
  clock: FakeClock;
  /** Creates (or replaces) an account with `PASSWORD` unless told otherwise. */
  account(username: string, role: StaffRole, password?: string): Promise<void>;
  /** Logs in over JSON; returns the session cookie header and the CSRF token. */
  login(username: string, password?: string): Promise<Session>;
  close(): Promise<void>;
}

export interface Session {
  cookie: string;
  csrfToken: string;
}

/** The `name=value` of the session cookie a response sets, or undefined. */
export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  const cookie = res.cookies.find((c) => c.name === 'lotse_staff' && c.value !== '');
  return cookie ? `lotse_staff=${cookie.value}` : undefined;
}

export async function startConsoleApp(
  options: {
    env?: Record<string, string>;
    loginLimiter?: LoginLimiter;
    /** Trust X-Forwarded-* headers, as the server does behind LOTSE_PUBLIC_URL. */
    trustProxy?: boolean;
  } = {},
): Promise<ConsoleApp> {
  const clock = fakeClock();
  const config = loadConfig({ LOTSE_DATA_DIR: ':memory:', ...options.env });
  const stores = await openStores({ dataDir: ':memory:', now: clock.now });
  const app = Fastify({ logger: false, trustProxy: options.trustProxy ?? false });
  await app.register(async (scope) => {
    await setUpStaffScope(scope, {
      config,
      stores,
      now: clock.now,
      passwordParams: FAST_SCRYPT,
      ...(options.loginLimiter ? { loginLimiter: options.loginLimiter } : {}),
    });
    await scope.register(adminRoutes, { stores });
    const who = (staff: StaffPrincipal | undefined) => ({ username: staff?.username });
    scope.get('/staff/probe/assist', { config: { permission: 'assist' } }, async (req) =>
      who(req.staff),
    );
    scope.get('/staff/probe/handoff', { config: { permission: 'handoff' } }, async (req) =>
      who(req.staff),
    );
    scope.get('/staff/probe/insights', { config: { permission: 'insights' } }, async (req) =>
      who(req.staff),
    );
    scope.post('/staff/probe/assist', { config: { permission: 'assist' } }, async (req) => ({
      ...who(req.staff),
      body: req.body,
    }));
    scope.get('/staff/probe/undeclared', async () => ({ leaked: true }));
    scope.post('/staff/probe/undeclared', async () => ({ leaked: true }));
    scope.get('/staff/probe/own-csp', { config: { permission: 'public' } }, async (_req, reply) =>
      reply.header('content-security-policy', "default-src 'self' blob:").send('ok'),
    );
  });
  await app.ready();

  const ctx: ConsoleApp = {
    app,
    stores,
    config,
    clock,
    async account(username, role, password = PASSWORD) {
      await stores.staffAccounts.upsert({
        username,
        role,
        displayName: `${username[0]!.toUpperCase()}${username.slice(1)}, Service-Team`,
        passwordHash: await hashPassword(password, FAST_SCRYPT),
      });
    },
    async login(username, password = PASSWORD) {
      const res = await app.inject({
        method: 'POST',
        url: '/staff/login',
        payload: { username, password },
      });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      return { cookie: sessionCookie(res)!, csrfToken: res.json().csrfToken };
    },
    async close() {
      await app.close();
      await stores.close();
    },
  };
  return ctx;
}
