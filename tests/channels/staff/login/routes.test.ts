/**
 * Login and logout (channels/staff/login/routes.ts): JSON and form, one message for every failed
 * attempt, rate limits per user name and per address, session fixation, cookie attributes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLoginLimiter } from '../../../../channels/staff/auth/login-limiter.js';
import { hashPassword, needsRehash } from '../../../../channels/staff/auth/password.js';
import {
  FAST_SCRYPT,
  PASSWORD,
  sessionCookie,
  startConsoleApp,
  type ConsoleApp,
} from '../auth/console-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
let ctx: ConsoleApp;

beforeEach(async () => {
  ctx = await startConsoleApp();
  await ctx.account('anna', 'agent');
});
afterEach(() => ctx.close());

function loginJson(username: string, password: string, extra: Record<string, unknown> = {}) {
  const { headers, remoteAddress, ...payload } = extra as {
    headers?: Record<string, string>;
    remoteAddress?: string;
  };
  return ctx.app.inject({
    method: 'POST',
    url: '/staff/login',
    payload: { username, password, ...payload },
    ...(headers ? { headers } : {}),
    ...(remoteAddress ? { remoteAddress } : {}),
  });
}

const whoAmI = (cookie: string | undefined) =>
  ctx.app.inject({
    method: 'GET',
    url: '/staff/probe/assist',
    headers: cookie ? { cookie } : {},
  });

describe('login page', () => {
  it('is a German form with labelled fields and autocomplete hints', async () => {
    const res = await ctx.app.inject({ url: '/staff/login?next=%2Fstaff%2Fhandoffs' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="de">');
    expect(res.body).toContain('<label for="username">Benutzername</label>');
    expect(res.body).toContain('<label for="password">Passwort</label>');
    expect(res.body).toMatch(/autocomplete="username"/);
    expect(res.body).toMatch(/autocomplete="current-password"/);
    expect(res.body).toContain('name="next" value="/staff/handoffs"');
    expect(res.body).not.toContain('<script>');
  });

  it('does not carry a foreign return address into the form', async () => {
    for (const next of ['https://angreifer.example/', '//angreifer.example', '/staff/../x\\y']) {
      const res = await ctx.app.inject({ url: `/staff/login?next=${encodeURIComponent(next)}` });
      expect(res.body).toContain('name="next" value="/staff"');
    }
  });
});

describe('login', () => {
  it('over JSON answers with the role and the CSRF token and sets the session cookie', async () => {
    const res = await loginJson('anna', PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      username: 'anna',
      role: 'agent',
      displayName: 'Anna, Service-Team',
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const cookie = res.cookies.find((c) => c.name === 'lotse_staff')!;
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/staff' });
    expect(cookie.secure).toBeUndefined();
    expect((await whoAmI(sessionCookie(res))).json()).toEqual({ username: 'anna' });
  });

  it('stores only a hash of the session id', async () => {
    const res = await loginJson('anna', PASSWORD);
    const id = res.cookies.find((c) => c.name === 'lotse_staff')!.value;
    const rows = await ctx.stores.sql.query<{ id_hash: string }>(
      'SELECT id_hash FROM staff_sessions',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).not.toContain(id);
    expect(rows[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('over a form redirects to the page asked for, or the start page', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/staff/login',
      headers: FORM,
      payload: `username=anna&password=${PASSWORD}&next=${encodeURIComponent('/staff/handoffs?x=1')}`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/handoffs?x=1');
    expect(sessionCookie(res)).toBeDefined();
    const foreign = await ctx.app.inject({
      method: 'POST',
      url: '/staff/login',
      headers: FORM,
      payload: `username=anna&password=${PASSWORD}&next=${encodeURIComponent('//angreifer.example')}`,
    });
    expect(foreign.headers.location).toBe('/staff');
  });

  it('redirects to a page asked for with umlauts and symbols (percent-encoded)', async () => {
    const next = encodeURIComponent('/staff?q=Gebühr €');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/staff/login',
      headers: FORM,
      payload: `username=anna&password=${PASSWORD}&next=${next}`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff?q=Geb%C3%BChr%20%E2%82%AC');
    const again = await ctx.app.inject({
      url: `/staff/login?next=${next}`,
      headers: { cookie: sessionCookie(res)!, accept: 'text/html' },
    });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/staff?q=Geb%C3%BChr%20%E2%82%AC');
  });

  it('accepts the user name in any case and with spaces around it', async () => {
    expect((await loginJson(' Anna ', PASSWORD)).statusCode).toBe(200);
  });

  it('refuses a wrong password and an unknown user with the same 401 message', async () => {
    const wrong = await loginJson('anna', 'falsches-passwort');
    const unknown = await loginJson('niemand', PASSWORD);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error).toEqual({
      code: 'LOTSE_STAFF_LOGIN_FAILED',
      message: 'Benutzername oder Passwort ist falsch.',
    });
    expect(sessionCookie(wrong)).toBeUndefined();
  });

  it('shows the form again with an alert after a wrong password', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/staff/login',
      headers: FORM,
      payload: 'username=anna&password=falsch',
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).toMatch(/<div class="error-summary" role="alert" id="login-error">/);
    expect(res.body).toContain('Benutzername oder Passwort ist falsch.');
    expect(res.body).toContain('value="anna"');
    expect(res.body).toContain('aria-describedby="login-error"');
    expect(res.body).not.toContain('falsch"');
  });

  it('refuses an empty or missing field with 400', async () => {
    for (const payload of [{ username: 'anna' }, { username: '', password: 'x' }, {}]) {
      const res = await ctx.app.inject({ method: 'POST', url: '/staff/login', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('LOTSE_STAFF_LOGIN_INVALID');
    }
  });

  it('refuses a disabled account like a wrong password', async () => {
    await ctx.stores.staffAccounts.disable('anna');
    const res = await loginJson('anna', PASSWORD);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('LOTSE_STAFF_LOGIN_FAILED');
  });

  it('refuses a login posted from another site (login CSRF)', async () => {
    const res = await loginJson('anna', PASSWORD, {
      headers: { origin: 'https://angreifer.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('LOTSE_STAFF_CSRF');
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('re-hashes a password stored with weaker parameters', async () => {
    await ctx.stores.staffAccounts.upsert({
      username: 'alt',
      role: 'agent',
      passwordHash: await hashPassword(PASSWORD, { ln: 2, r: 8, p: 1 }),
    });
    expect((await loginJson('alt', PASSWORD)).statusCode).toBe(200);
    const stored = (await ctx.stores.staffAccounts.get('alt'))!.passwordHash;
    expect(stored).toMatch(/^\$scrypt\$ln=4,r=8,p=1\$/);
    expect(needsRehash(stored, FAST_SCRYPT)).toBe(false);
    expect((await loginJson('alt', PASSWORD)).statusCode).toBe(200);
  });
});

describe('session fixation', () => {
  it('never keeps the session a request brings along', async () => {
    // An attacker's own valid session, planted in the victim's browser…
    const planted = sessionCookie(await loginJson('anna', PASSWORD))!;
    const res = await loginJson('anna', PASSWORD, { headers: { cookie: planted } });
    const fresh = sessionCookie(res)!;
    expect(fresh).not.toBe(planted);
    // …is over once the victim logs in, and the new one is not the planted one.
    expect((await whoAmI(planted)).statusCode).toBe(401);
    expect((await whoAmI(fresh)).statusCode).toBe(200);
  });

  it('does not adopt a cookie value chosen before login', async () => {
    const chosen = 'lotse_staff=von-angreifer-gewaehlt-0123456789abcdefghijklmnopq';
    const res = await loginJson('anna', PASSWORD, { headers: { cookie: chosen } });
    expect(sessionCookie(res)).not.toBe(chosen);
    expect((await whoAmI(chosen)).statusCode).toBe(401);
  });
});

describe('rate limit', () => {
  const attempts = () => ctx.config.staff.loginAttempts;

  it('refuses a user name after too many wrong passwords, from any address, with Retry-After', async () => {
    for (let i = 0; i < attempts(); i++) {
      const res = await loginJson('anna', `falsch-${i}`, { remoteAddress: `10.0.0.${i + 1}` });
      expect(res.statusCode).toBe(401);
    }
    const limited = await loginJson('anna', PASSWORD, { remoteAddress: '10.0.1.1' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('LOTSE_STAFF_LOGIN_LIMITED');
    expect(limited.json().error.message).toContain('Zu viele fehlgeschlagene Anmeldeversuche');
    const window = ctx.config.staff.loginWindowMinutes * 60;
    expect(Number(limited.headers['retry-after'])).toBe(window);
    expect(sessionCookie(limited)).toBeUndefined();
    // Another account is not affected from a fresh address.
    await ctx.account('emil', 'editor');
    expect((await loginJson('emil', PASSWORD, { remoteAddress: '10.0.2.1' })).statusCode).toBe(200);
    // After the window the right password works again.
    ctx.clock.advance(window * 1000);
    expect((await loginJson('anna', PASSWORD, { remoteAddress: '10.0.1.1' })).statusCode).toBe(200);
  });

  it('refuses an address after too many wrong passwords for any user names', async () => {
    for (let i = 0; i < attempts(); i++) {
      const res = await loginJson(`nutzer${i}`, 'falsch', { remoteAddress: '192.0.2.7' });
      expect(res.statusCode).toBe(401);
    }
    const limited = await loginJson('anna', PASSWORD, { remoteAddress: '192.0.2.7' });
    expect(limited.statusCode).toBe(429);
    expect((await loginJson('anna', PASSWORD, { remoteAddress: '192.0.2.8' })).statusCode).toBe(
      200,
    );
  });

  it('answers a form with the limit message as an alert', async () => {
    for (let i = 0; i < attempts(); i++) await loginJson('anna', 'falsch');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/staff/login',
      headers: FORM,
      payload: `username=anna&password=${PASSWORD}`,
    });
    expect(res.statusCode).toBe(429);
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain('in 15 Minuten erneut');
  });

  it('forgets the wrong passwords of a user name after a successful login', async () => {
    for (let i = 0; i < attempts() - 1; i++) {
      await loginJson('anna', 'falsch', { remoteAddress: `10.1.0.${i}` });
    }
    expect((await loginJson('anna', PASSWORD, { remoteAddress: '10.1.1.1' })).statusCode).toBe(200);
    for (let i = 0; i < attempts() - 1; i++) {
      await loginJson('anna', 'falsch', { remoteAddress: `10.2.0.${i}` });
    }
    expect((await loginJson('anna', PASSWORD, { remoteAddress: '10.1.1.1' })).statusCode).toBe(200);
  });

  it('counts a burst of parallel guesses one by one', async () => {
    const burst = await Promise.all(
      Array.from({ length: attempts() + 3 }, (_, i) =>
        loginJson('anna', `falsch-${i}`, { remoteAddress: `10.9.0.${i}` }),
      ),
    );
    const codes = burst.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(attempts());
    expect(codes.filter((c) => c === 429)).toHaveLength(3);
  });

  it('uses the limiter it is given (shared limiters for several instances)', async () => {
    const shared = new MemoryLoginLimiter({ attempts: 1, windowMs: 60_000 });
    const other = await startConsoleApp({ loginLimiter: shared });
    try {
      await other.account('anna', 'agent');
      await shared.recordFailure(['user:anna'], other.clock.now());
      const res = await other.app.inject({
        method: 'POST',
        url: '/staff/login',
        payload: { username: 'anna', password: PASSWORD },
      });
      expect(res.statusCode).toBe(429);
    } finally {
      await other.close();
    }
  });
});

describe('logout', () => {
  it('ends the session and clears the cookie', async () => {
    const anna = await ctx.login('anna');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/staff/logout',
      headers: { cookie: anna.cookie, 'x-csrf-token': anna.csrfToken },
    });
    expect(res.statusCode).toBe(204);
    const cleared = res.cookies.find((c) => c.name === 'lotse_staff')!;
    expect(cleared.value).toBe('');
    expect(cleared.path).toBe('/staff');
    expect((await whoAmI(anna.cookie)).statusCode).toBe(401);
  });

  it('from the page form redirects to the login with a notice', async () => {
    const anna = await ctx.login('anna');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/staff/logout',
      headers: { ...FORM, cookie: anna.cookie },
      payload: `_csrf=${encodeURIComponent(anna.csrfToken)}`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/login?logout=1');
    const page = await ctx.app.inject({ url: res.headers.location as string });
    expect(page.body).toContain('Sie wurden abgemeldet.');
  });

  it('needs the CSRF token, so another site cannot log staff out', async () => {
    const anna = await ctx.login('anna');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/staff/logout',
      headers: { cookie: anna.cookie },
    });
    expect(res.statusCode).toBe(403);
    expect((await whoAmI(anna.cookie)).statusCode).toBe(200);
  });
});

describe('Secure cookie', () => {
  it('is set when the public URL is https', async () => {
    const tls = await startConsoleApp({ env: { LOTSE_PUBLIC_URL: 'https://lotse.example.de' } });
    try {
      await tls.account('anna', 'agent');
      const res = await tls.app.inject({
        method: 'POST',
        url: '/staff/login',
        payload: { username: 'anna', password: PASSWORD },
      });
      expect(res.cookies.find((c) => c.name === 'lotse_staff')!.secure).toBe(true);
    } finally {
      await tls.close();
    }
  });

  it('is set when a trusted proxy says the request came over https', async () => {
    const proxied = await startConsoleApp({ trustProxy: true });
    try {
      await proxied.account('anna', 'agent');
      const res = await proxied.app.inject({
        method: 'POST',
        url: '/staff/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'anna', password: PASSWORD },
      });
      expect(res.cookies.find((c) => c.name === 'lotse_staff')!.secure).toBe(true);
    } finally {
      await proxied.close();
    }
  });
});
