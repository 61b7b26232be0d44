/**
 * What the console's scope is built on, before any module: cookies and form bodies (parsed only
 * inside the console), security headers, the auth gate, the assets and the login. Called directly
 * on the console's encapsulated scope (not registered as a child), so its hooks cover every
 * module registered after it in that scope and nothing outside /staff.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { StaffPrincipal } from './contract.js';
import type { StaffAccountStore, StaffSessionStore } from '../../storage/types.js';
import { registerAssets } from './assets.js';
import { installAuthHooks } from './auth/hooks.js';
import { MemoryLoginLimiter, type LoginLimiter } from './auth/login-limiter.js';
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams } from './auth/password.js';
import { StaffSessions } from './auth/sessions.js';
import { loginRoutes } from './login/routes.js';
import { installSecurityHeaders } from './security-headers.js';

export interface StaffFoundationOptions {
  config: Config;
  stores: { staffAccounts: StaffAccountStore; staffSessions: StaffSessionStore };
  /** The clock for sessions and login limits; tests pass a fake one. */
  now?: () => Date;
  /** Counts wrong passwords; in memory by default (one instance). */
  loginLimiter?: LoginLimiter;
  /** scrypt cost for new hashes and the dummy hash; tests only (see DEFAULT_SCRYPT_PARAMS). */
  passwordParams?: ScryptParams;
  /** Where the browser files are read from (default channels/staff/public). */
  assetsDir?: string;
  /** Runs after a logout (the console marks the agent offline). */
  onLogout?: (staff: StaffPrincipal) => Promise<void>;
}

/** Sets up `scope` for console modules; returns the session service for them to use. */
export async function setUpStaffScope(
  scope: FastifyInstance,
  options: StaffFoundationOptions,
): Promise<StaffSessions> {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const sessionMaxMs = config.staff.sessionMaxHours * 3_600_000;
  const sessions = new StaffSessions(
    options.stores,
    { idleMs: config.staff.sessionIdleMinutes * 60_000, maxMs: sessionMaxMs },
    now,
  );
  await scope.register(cookie);
  await scope.register(formbody, { bodyLimit: 16 * 1024 });
  installSecurityHeaders(scope);
  installAuthHooks(scope, { sessions, publicUrl: config.publicUrl });
  registerAssets(scope, options.assetsDir);
  await scope.register(loginRoutes, {
    accounts: options.stores.staffAccounts,
    sessions,
    limiter:
      options.loginLimiter ??
      new MemoryLoginLimiter({
        attempts: config.staff.loginAttempts,
        windowMs: config.staff.loginWindowMinutes * 60_000,
      }),
    passwordParams: options.passwordParams ?? DEFAULT_SCRYPT_PARAMS,
    sessionMaxMs,
    secure: (req) => req.protocol === 'https' || (config.publicUrl?.startsWith('https:') ?? false),
    now,
    ...(options.onLogout ? { onLogout: options.onLogout } : {}),
  });
  return sessions;
}
