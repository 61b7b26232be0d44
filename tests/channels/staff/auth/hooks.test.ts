/**
 * The console's gate (channels/staff/auth/hooks.ts): who may reach which route, fail-closed routes,
 * CSRF on every state-changing request, session expiry, and the headers on every response.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../../../channels/staff/security-headers.js';
import { startConsoleApp, type ConsoleApp, type Session } from './console-app.js';

const PAGE = { accept: 'text/html,application/xhtml+xml' };
let ctx: ConsoleApp;

beforeEach(async () => {
  ctx = await startConsoleApp();
  await ctx.account('anna', 'agent');
  await ctx.account('emil', 'editor');
  await ctx.account('ada', 'admin');
});
afterEach(() => ctx.close());

const get = (url: string, session?: Session, headers: Record<string, string> = {}) =>
  ctx.app.inject({
    method: 'GET',
    url,
    headers: { ...headers, ...(session ? { cookie: session.cookie } : {}) },
  });

describe('without a session', () => {
  it('sends a browser to the login with the page to return to', async () => {
    const res = await get('/staff/probe/assist?q=Reisepass', undefined, PAGE);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(
      `/staff/login?next=${encodeURIComponent('/staff/probe/assist?q=Reisepass')}`,
    );
  });

  it('answers a script with 401 and a coded error', async () => {
    const res = await get('/staff/probe/assist');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('LOTSE_STAFF_UNAUTHENTICATED');
    const post = await ctx.app.inject({ method: 'POST', url: '/staff/probe/assist', payload: {} });
    expect(post.statusCode).toBe(401);
  });

  it('ignores a made-up session cookie', async () => {
    const res = await get('/staff/probe/assist', { cookie: 'lotse_staff=erfunden', csrfToken: '' });
    expect(res.statusCode).toBe(401);
  });

  it('still serves the login page and the assets', async () => {
    expect((await get('/staff/login', undefined, PAGE)).statusCode).toBe(200);
    const css = await get('/staff/assets/console.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });
});

describe('roles', () => {
  it('let an agent assist and take handoffs but not see insights or accounts', async () => {
    const anna = await ctx.login('anna');
    expect((await get('/staff/probe/assist', anna)).json()).toEqual({ username: 'anna' });
    expect((await get('/staff/probe/handoff', anna)).statusCode).toBe(200);
    const insights = await get('/staff/probe/insights', anna);
    expect(insights.statusCode).toBe(403);
    expect(insights.json().error.code).toBe('LOTSE_STAFF_FORBIDDEN');
    const accounts = await get('/staff/admin/accounts', anna, PAGE);
    expect(accounts.statusCode).toBe(403);
    expect(accounts.headers['content-type']).toContain('text/html');
    expect(accounts.body).toContain('Kein Zugriff');
    expect(accounts.body).not.toContain('ada');
  });

  it('let an editor see insights but not take handoffs or manage accounts', async () => {
    const emil = await ctx.login('emil');
    expect((await get('/staff/probe/insights', emil)).statusCode).toBe(200);
    expect((await get('/staff/probe/assist', emil)).statusCode).toBe(200);
    expect((await get('/staff/probe/handoff', emil)).statusCode).toBe(403);
    expect((await get('/staff/admin/accounts', emil)).statusCode).toBe(403);
  });

  it('let an admin reach everything', async () => {
    const ada = await ctx.login('ada');
    for (const url of [
      '/staff/probe/assist',
      '/staff/probe/handoff',
      '/staff/probe/insights',
      '/staff/admin/accounts',
    ]) {
      expect((await get(url, ada)).statusCode, url).toBe(200);
    }
  });

  it('apply a role change to running sessions at once', async () => {
    const anna = await ctx.login('anna');
    expect((await get('/staff/probe/insights', anna)).statusCode).toBe(403);
    await ctx.account('anna', 'editor');
    expect((await get('/staff/probe/insights', anna)).statusCode).toBe(200);
  });

  it('refuse a route that declares no permission, even to an admin', async () => {
    const ada = await ctx.login('ada');
    const res = await get('/staff/probe/undeclared', ada);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('leaked');
    const post = await ctx.app.inject({
      method: 'POST',
      url: '/staff/probe/undeclared',
      headers: { cookie: ada.cookie, 'x-csrf-token': ada.csrfToken },
      payload: {},
    });
    expect(post.statusCode).toBe(403);
    expect((await get('/staff/probe/undeclared')).statusCode).toBe(403);
  });
});

describe('CSRF', () => {
  const post = (
    session: Session,
    options: { headers?: Record<string, string>; payload?: unknown },
  ) =>
    ctx.app.inject({
      method: 'POST',
      url: '/staff/probe/assist',
      headers: { cookie: session.cookie, ...options.headers },
      payload: options.payload as Record<string, unknown>,
    });

  it('accept the session token in the header or as the form field _csrf', async () => {
    const anna = await ctx.login('anna');
    const viaHeader = await post(anna, {
      headers: { 'x-csrf-token': anna.csrfToken },
      payload: { q: 'x' },
    });
    expect(viaHeader.statusCode).toBe(200);
    const viaForm = await post(anna, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(anna.csrfToken)}&q=Reisepass`,
    });
    expect(viaForm.statusCode).toBe(200);
    expect(viaForm.json().body).toMatchObject({ q: 'Reisepass' });
  });

  it('refuse a POST without a token, with a wrong one or with another session’s', async () => {
    const anna = await ctx.login('anna');
    const emil = await ctx.login('emil');
    const attempts: Record<string, string>[] = [
      {},
      { 'x-csrf-token': '' },
      // One character off (never the same character, or the "wrong" token would be right).
      {
        'x-csrf-token': `${anna.csrfToken.slice(0, -1)}${anna.csrfToken.endsWith('A') ? 'B' : 'A'}`,
      },
      { 'x-csrf-token': emil.csrfToken },
    ];
    for (const headers of attempts) {
      const res = await post(anna, { headers, payload: { q: 'x' } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('LOTSE_STAFF_CSRF');
    }
    const wrongField = await post(anna, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: '_csrf=falsch',
    });
    expect(wrongField.statusCode).toBe(403);
    expect(wrongField.body).toContain('Anfrage abgelehnt');
  });

  it('refuse a POST from another origin even with the right token', async () => {
    const anna = await ctx.login('anna');
    const token = { 'x-csrf-token': anna.csrfToken };
    const foreign: Record<string, string>[] = [
      { origin: 'https://angreifer.example' },
      { origin: 'null' },
      { origin: 'http://localhost:80.angreifer.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of foreign) {
      const res = await post(anna, { headers: { ...token, ...headers }, payload: {} });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error.code).toBe('LOTSE_STAFF_CSRF');
    }
    const same = await post(anna, {
      headers: { ...token, origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' },
      payload: {},
    });
    expect(same.statusCode).toBe(200);
  });

  it('refuse a cross-site WebSocket handshake', async () => {
    const anna = await ctx.login('anna');
    const res = await get('/staff/probe/assist', anna, {
      upgrade: 'websocket',
      connection: 'upgrade',
      origin: 'https://angreifer.example',
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('session expiry', () => {
  it('ends a session idle for longer than the idle timeout', async () => {
    const anna = await ctx.login('anna');
    const idle = ctx.config.staff.sessionIdleMinutes * 60_000;
    ctx.clock.advance(idle - 1000);
    expect((await get('/staff/probe/assist', anna)).statusCode).toBe(200);
    // That request counted as activity: another almost-idle period is fine.
    ctx.clock.advance(idle - 1000);
    expect((await get('/staff/probe/assist', anna)).statusCode).toBe(200);
    ctx.clock.advance(idle);
    expect((await get('/staff/probe/assist', anna)).statusCode).toBe(401);
    // Gone for good, not only refused for now.
    ctx.clock.advance(-idle);
    expect((await get('/staff/probe/assist', anna)).statusCode).toBe(401);
  });

  it('ends an active session after the absolute maximum', async () => {
    const anna = await ctx.login('anna');
    const max = ctx.config.staff.sessionMaxHours * 3_600_000;
    const step = 10 * 60_000;
    for (let t = step; t < max; t += step) {
      ctx.clock.advance(step);
      expect((await get('/staff/probe/assist', anna)).statusCode).toBe(200);
    }
    ctx.clock.advance(step);
    expect((await get('/staff/probe/assist', anna)).statusCode).toBe(401);
  });

  it('writes the last activity at most once a minute', async () => {
    const anna = await ctx.login('anna');
    const [session] = await ctx.stores.sql.query<{ last_seen_at: string }>(
      'SELECT last_seen_at FROM staff_sessions',
    );
    ctx.clock.advance(30_000);
    await get('/staff/probe/assist', anna);
    const [after30s] = await ctx.stores.sql.query<{ last_seen_at: string }>(
      'SELECT last_seen_at FROM staff_sessions',
    );
    expect(after30s!.last_seen_at).toBe(session!.last_seen_at);
    ctx.clock.advance(31_000);
    await get('/staff/probe/assist', anna);
    const [after61s] = await ctx.stores.sql.query<{ last_seen_at: string }>(
      'SELECT last_seen_at FROM staff_sessions',
    );
    expect(after61s!.last_seen_at).toBe(ctx.clock.now().toISOString());
  });

  it('ends the sessions of a disabled account', async () => {
    const anna = await ctx.login('anna');
    await ctx.stores.staffAccounts.disable('anna');
    expect((await get('/staff/probe/assist', anna)).statusCode).toBe(401);
  });
});

describe('response headers', () => {
  it('carry the console CSP, nosniff, no referrer to other sites and no caching on pages and errors', async () => {
    const anna = await ctx.login('anna');
    for (const res of [
      await get('/staff/login', undefined, PAGE),
      await get('/staff/probe/assist', anna),
      await get('/staff/probe/insights', anna),
      await get('/staff/probe/assist'),
    ]) {
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // Not `no-referrer`: Chromium then sends `Origin: null` on form posts (refused as foreign).
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
  });

  it('keep a policy a route set itself', async () => {
    const res = await get('/staff/probe/own-csp');
    expect(res.headers['content-security-policy']).toBe("default-src 'self' blob:");
  });
});

describe('assets', () => {
  it('serve the console script with an ETag and answer a revalidation with 304', async () => {
    const js = await get('/staff/assets/console.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('window.lotseConsole');
    const again = await get('/staff/assets/console.js', undefined, {
      'if-none-match': String(js.headers.etag),
    });
    expect(again.statusCode).toBe(304);
  });

  it('serve nothing outside the whitelist', async () => {
    for (const name of ['..%2F..%2Fpackage.json', 'console.ts', '.env', 'CONSOLE.JS', 'x.html']) {
      expect((await get(`/staff/assets/${name}`)).statusCode, name).toBe(404);
    }
  });
});
