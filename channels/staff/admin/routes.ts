/**
 * Account administration for admins: the list of accounts and locking one (its sessions end at
 * once). Creating accounts and setting passwords stays on the server's command line
 * (`lotse staff add`), so no password ever passes through the browser console.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { StaffAccountStore, StaffSessionStore } from '../../../storage/types.js';
import { sentJson, wantsHtml } from '../auth/request.js';
import { renderAccountsPage } from './page.js';
import { ADMIN_TEXTS } from './texts.js';

/** What the admin module needs (a subset of StaffModuleOptions). */
export interface AdminOptions {
  stores: { staffAccounts: StaffAccountStore; staffSessions: StaffSessionStore };
  /** Called after an account was locked and its sessions ended (presence, live streams). */
  onDisabled?: (username: string) => Promise<void>;
}

export const adminRoutes: FastifyPluginAsync<AdminOptions> = async (app, options) => {
  const { staffAccounts, staffSessions } = options.stores;
  const t = ADMIN_TEXTS.de;

  app.get<{ Querystring: { gesperrt?: string } }>(
    '/staff/admin/accounts',
    { config: { permission: 'admin' } },
    async (req, reply) => {
      const accounts = await staffAccounts.list();
      if (!wantsHtml(req)) {
        return {
          accounts: accounts.map((a) => ({
            username: a.username,
            displayName: a.displayName ?? null,
            role: a.role,
            disabled: a.disabledAt !== undefined,
            createdAt: a.createdAt,
          })),
        };
      }
      const locked = accounts.find((a) => a.username === req.query.gesperrt && a.disabledAt);
      return reply.type('text/html; charset=utf-8').send(
        renderAccountsPage({
          staff: req.staff!,
          accounts,
          ...(locked ? { disabled: locked.username } : {}),
        }),
      );
    },
  );

  app.post<{ Params: { username: string } }>(
    '/staff/admin/accounts/:username/disable',
    { config: { permission: 'admin' } },
    async (req, reply) => {
      const { username } = req.params;
      if (username === req.staff!.username) {
        return reply
          .code(409)
          .send({ error: { code: 'LOTSE_STAFF_SELF_DISABLE', message: t.notSelf } });
      }
      if (!(await staffAccounts.disable(username))) {
        return reply
          .code(404)
          .send({ error: { code: 'LOTSE_STAFF_ACCOUNT_NOT_FOUND', message: t.notFound } });
      }
      const sessions = await staffSessions.deleteForUser(username);
      await options.onDisabled?.(username);
      req.log.info({ event: 'staff-account-disabled', sessions }, 'staff account disabled');
      if (sentJson(req) || !wantsHtml(req)) return { username, disabled: true, sessions };
      return reply.redirect(`/staff/admin/accounts?gesperrt=${encodeURIComponent(username)}`, 303);
    },
  );
};
