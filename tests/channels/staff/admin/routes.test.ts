/** Account administration (channels/staff/admin/routes.ts): the table and locking an account. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startConsoleApp, type ConsoleApp, type Session } from '../auth/console-app.js';

const PAGE = { accept: 'text/html' };
let ctx: ConsoleApp;
let ada: Session;

beforeEach(async () => {
  ctx = await startConsoleApp();
  await ctx.account('ada', 'admin');
  await ctx.account('anna', 'agent');
  await ctx.account('emil', 'editor');
  ada = await ctx.login('ada');
});
afterEach(() => ctx.close());

const disable = (session: Session, username: string, headers: Record<string, string> = {}) =>
  ctx.app.inject({
    method: 'POST',
    url: `/staff/admin/accounts/${username}/disable`,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, ...headers },
  });

describe('accounts page', () => {
  it('lists every account in a table with header cells', async () => {
    const res = await ctx.app.inject({
      url: '/staff/admin/accounts',
      headers: { ...PAGE, cookie: ada.cookie },
    });
    expect(res.statusCode).toBe(200);
    const body = res.body;
    for (const header of ['Benutzername', 'Anzeigename', 'Rolle', 'Status']) {
      expect(body).toContain(`<th scope="col">${header}</th>`);
    }
    expect(body).toContain('<th scope="row">anna</th>');
    expect(body).toContain('Service-Team');
    expect(body).toContain('Redaktion');
    expect(body).toContain('aria-current="page"');
    expect(body).not.toContain('$scrypt$');
    // A lock button per other account, naming it for screen readers; none for oneself.
    expect(body).toContain('<span class="visually-hidden"> anna</span>');
    expect(body).not.toContain('<span class="visually-hidden"> ada</span>');
    expect(body).toContain(`name="_csrf" value="${ada.csrfToken}"`);
  });

  it('answers a script with JSON and no password hashes', async () => {
    const res = await ctx.app.inject({
      url: '/staff/admin/accounts',
      headers: { cookie: ada.cookie },
    });
    const { accounts } = res.json();
    expect(accounts.map((a: { username: string }) => a.username)).toEqual(['ada', 'anna', 'emil']);
    expect(JSON.stringify(accounts)).not.toContain('scrypt');
  });
});

describe('locking an account', () => {
  it('disables it and ends its sessions at once', async () => {
    const anna = await ctx.login('anna');
    const res = await disable(ada, 'anna');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ username: 'anna', disabled: true, sessions: 1 });
    const probe = await ctx.app.inject({
      url: '/staff/probe/assist',
      headers: { cookie: anna.cookie },
    });
    expect(probe.statusCode).toBe(401);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/staff/login',
      payload: { username: 'anna', password: 'richtig-langes-passwort' },
    });
    expect(login.statusCode).toBe(401);
  });

  it('from the page form redirects back with a status message', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/staff/admin/accounts/emil/disable',
      headers: {
        ...PAGE,
        cookie: ada.cookie,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${encodeURIComponent(ada.csrfToken)}`,
    });
    expect(res.statusCode).toBe(303);
    const page = await ctx.app.inject({
      url: res.headers.location as string,
      headers: { ...PAGE, cookie: ada.cookie },
    });
    expect(page.body).toContain('<p class="notice" role="status">Das Konto emil ist gesperrt.</p>');
    expect(page.body).toContain('gesperrt</span');
  });

  it('is refused for an unknown account and for one’s own', async () => {
    expect((await disable(ada, 'niemand')).statusCode).toBe(404);
    const self = await disable(ada, 'ada');
    expect(self.statusCode).toBe(409);
    expect((await ctx.stores.staffAccounts.get('ada'))!.disabledAt).toBeUndefined();
  });

  it('is refused to an agent and an editor, and without the CSRF token', async () => {
    const anna = await ctx.login('anna');
    const emil = await ctx.login('emil');
    expect((await disable(anna, 'emil')).statusCode).toBe(403);
    expect((await disable(emil, 'anna')).statusCode).toBe(403);
    const noToken = await ctx.app.inject({
      method: 'POST',
      url: '/staff/admin/accounts/anna/disable',
      headers: { cookie: ada.cookie },
    });
    expect(noToken.statusCode).toBe(403);
    expect((await ctx.stores.staffAccounts.get('anna'))!.disabledAt).toBeUndefined();
    expect((await ctx.stores.staffAccounts.get('emil'))!.disabledAt).toBeUndefined();
  });
});
