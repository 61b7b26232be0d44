/**
 * The staff console at /staff: one encapsulated scope holding the foundation (cookies, security
 * headers, the auth gate, assets, login) and the modules — agent assist, handoffs, insights and
 * account administration — each registered with the same options. Register it once on the
 * server: `await app.register(staffConsole, options)`.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { StaffModuleOptions } from './contract.js';
import { setUpStaffScope, type StaffFoundationOptions } from './foundation.js';
import { adminRoutes } from './admin/routes.js';
import { assistRoutes } from './assist/routes.js';
import { handoffRoutes } from './handoff/routes.js';
import { insightsRoutes } from './insights/routes.js';

/** The modules' options plus the foundation's test hooks (clock, limiter, hash cost). */
export type StaffConsoleOptions = StaffModuleOptions &
  Pick<StaffFoundationOptions, 'now' | 'loginLimiter' | 'passwordParams' | 'assetsDir'>;

export const staffConsole: FastifyPluginAsync<StaffConsoleOptions> = async (app, options) => {
  // A logged-out or locked agent takes no more chats: offline at once, not after the timeout,
  // and their open live streams end.
  const signedOut = async (username: string) => {
    await options.handoffs.leave(username);
    await options.events.publish({ type: 'staff-signed-out', username });
  };
  await setUpStaffScope(app, {
    ...options,
    onLogout: (staff) => signedOut(staff.username),
  });
  await app.register(assistRoutes, options);
  await app.register(handoffRoutes, options);
  await app.register(insightsRoutes, options);
  await app.register(adminRoutes, { ...options, onDisabled: signedOut });
};
