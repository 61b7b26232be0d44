/**
 * The whole console (channels/staff/index.ts) with every module: each route declares a
 * permission, none answers without a session, and each role reaches only what it may. New routes
 * are covered automatically: the list comes from the routes the modules register.
 */
import { rmSync } from 'node:fs';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHandoffEvents } from '../../../../bot/handoff/events.js';
import { loadConfig } from '../../../../channels/config.js';
import { TokenIssuer } from '../../../../channels/directline/tokens.js';
import { can, ROLE_PERMISSIONS, type Permission } from '../../../../channels/staff/contract.js';
import { hashPassword } from '../../../../channels/staff/auth/password.js';
import { staffConsole } from '../../../../channels/staff/index.js';
import { FlowRegistry } from '../../../../flows/registry.js';
import { openKnowledge } from '../../../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../../../storage/open-store.js';
import type { StaffRole } from '../../../../storage/types.js';
import { tempDir } from '../../../knowledge/fixtures.js';
import { FAST_SCRYPT, PASSWORD, sessionCookie } from './console-app.js';

interface Route {
  method: string;
  url: string;
  permission: Permission | undefined;
}

let app: FastifyInstance;
let stores: Stores;
let dir: string;
const routes: Route[] = [];
const cookies = new Map<StaffRole, string>();
const csrfTokens = new Map<StaffRole, string>();

beforeAll(async () => {
  dir = tempDir('lotse-staff-console-');
  stores = await openStores({ dataDir: ':memory:' });
  app = Fastify({ logger: false });
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/staff')) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, permission: route.config?.permission });
    }
  });
  await app.register(websocket);
  await app.register(staffConsole, {
    config: loadConfig({ LOTSE_DATA_DIR: dir }),
    knowledge: await openKnowledge({ dataDir: dir, persistSnapshot: false }),
    stores,
    registry: new FlowRegistry(),
    // No handler is reached in these tests except the ones for allowed pages.
    handoffs: undefined as never,
    events: new LocalHandoffEvents(),
    issuer: new TokenIssuer('console-test-secret-that-is-long-enough'),
    passwordParams: FAST_SCRYPT,
  });
  await app.ready();
  for (const role of ['agent', 'editor', 'admin'] as const) {
    await stores.staffAccounts.upsert({
      username: role,
      role,
      passwordHash: await hashPassword(PASSWORD, FAST_SCRYPT),
    });
    const res = await app.inject({
      method: 'POST',
      url: '/staff/login',
      payload: { username: role, password: PASSWORD },
    });
    cookies.set(role, sessionCookie(res)!);
    csrfTokens.set(role, res.json().csrfToken);
  }
});
afterAll(async () => {
  await app.close();
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The route's URL with every parameter filled in. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'x').replace(/\*$/, 'x');

describe('roles', () => {
  it('give agents the desk and applications for callers, editors insights, admins all', () => {
    expect(ROLE_PERMISSIONS).toEqual({
      agent: ['session', 'assist', 'apply', 'handoff'],
      editor: ['session', 'assist', 'insights'],
      admin: ['session', 'assist', 'apply', 'handoff', 'insights', 'admin'],
    });
  });
});

describe('the staff console', () => {
  it('registers the modules: assist, handoffs, insights and accounts', () => {
    const urls = routes.map((r) => r.url);
    for (const url of ['/staff', '/staff/handoffs', '/staff/insights', '/staff/admin/accounts']) {
      expect(urls).toContain(url);
    }
  });

  it('has a declared permission on every route', () => {
    expect(routes.filter((r) => r.permission === undefined)).toEqual([]);
  });

  it('answers nothing but the login and assets without a session', async () => {
    for (const route of routes.filter((r) => r.permission !== 'public')) {
      const res = await app.inject({ method: route.method as 'GET', url: concrete(route.url) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
    const publicRoutes = routes.filter((r) => r.permission === 'public').map((r) => r.url);
    expect(publicRoutes.sort()).toEqual(['/staff/assets/:name', '/staff/login', '/staff/login']);
  });

  it('refuses each role every route its role may not use', async () => {
    for (const role of ['agent', 'editor'] as const) {
      for (const route of routes.filter((r) => r.permission && !can(role, r.permission))) {
        const res = await app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: { cookie: cookies.get(role)! },
        });
        expect(res.statusCode, `${role}: ${route.method} ${route.url}`).toBe(403);
      }
    }
  });

  it('refuses every state-changing route without the CSRF token, even to an admin', async () => {
    const unsafe = routes.filter((r) => r.method !== 'GET' && r.permission !== 'public');
    expect(unsafe.length).toBeGreaterThan(3);
    for (const route of unsafe) {
      const res = await app.inject({
        method: route.method as 'POST',
        url: concrete(route.url),
        headers: { cookie: cookies.get('admin')! },
        payload: {},
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(res.json().error.code).toBe('LOTSE_STAFF_CSRF');
    }
  });

  it('shows each role the pages it may open', async () => {
    const pages = { agent: '/staff', editor: '/staff/insights', admin: '/staff/admin/accounts' };
    for (const [role, url] of Object.entries(pages)) {
      const res = await app.inject({
        url,
        headers: { cookie: cookies.get(role as StaffRole)!, accept: 'text/html' },
      });
      expect(res.statusCode, `${role}: ${url}`).toBe(200);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('lets agents and admins enter applications for callers, but not editors', async () => {
    const as = (role: StaffRole, url: string) =>
      app.inject({ url, headers: { cookie: cookies.get(role)!, accept: 'text/html' } });
    const token = (role: StaffRole) =>
      app.inject({
        method: 'POST',
        url: '/staff/api/apply/token',
        headers: { cookie: cookies.get(role)!, 'x-csrf-token': csrfTokens.get(role)! },
        payload: {},
      });
    for (const role of ['agent', 'admin'] as const) {
      expect((await as(role, '/staff/apply')).statusCode, role).toBe(200);
      expect((await as(role, '/staff/apply?flow=kindergeld')).statusCode, role).toBe(200);
      expect((await as(role, '/staff')).body, role).toContain('href="/staff/apply"');
    }
    expect((await as('editor', '/staff/apply')).statusCode).toBe(403);
    expect((await as('editor', '/staff/apply?flow=kindergeld')).statusCode).toBe(403);
    const refused = await token('editor');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('LOTSE_STAFF_FORBIDDEN');
    const editorStart = await as('editor', '/staff');
    expect(editorStart.statusCode).toBe(200);
    expect(editorStart.body).not.toContain('href="/staff/apply');
  });
});
