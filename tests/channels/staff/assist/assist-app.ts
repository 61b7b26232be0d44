/**
 * A small fastify app with only the assist routes, for driving them with `inject()`. It was
 * written before the console was wired into `buildServer`, and it keeps these tests about assist
 * alone: the console's auth layer is not in front of the routes here. An onRequest hook puts a
 * fixed staff member on every request instead (and, like the auth layer, refuses a route that
 * declares no permission). Sessions, permissions and CSRF are the auth layer's and are tested
 * with it; tests/e2e/staff-assist.test.ts runs the whole path through `buildServer` and a login.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../../../../channels/config.js';
import { assistRoutes } from '../../../../channels/staff/assist/routes.js';
import type { StaffModuleOptions, StaffPrincipal } from '../../../../channels/staff/contract.js';
import { TokenIssuer } from '../../../../channels/directline/tokens.js';
import { FlowRegistry } from '../../../../flows/registry.js';
import type { KnowledgeBase } from '../../../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../../../storage/open-store.js';

export const STAFF: StaffPrincipal = {
  username: 'anna',
  role: 'agent',
  displayName: 'Anna, Service-Team',
  csrfToken: 'csrf-token-of-anna',
  sessionIdHash: 'hash',
};

export interface AssistApp {
  app: FastifyInstance;
  stores: Stores;
  issuer: TokenIssuer;
  /** The permission each registered route declared, by "METHOD url". */
  permissions: Map<string, string | undefined>;
  /** Who the next requests come from (undefined: no session). */
  actAs(staff: StaffPrincipal | undefined): void;
  close(): Promise<void>;
}

export async function startAssistApp(knowledge: KnowledgeBase): Promise<AssistApp> {
  const stores = await openStores({ dataDir: ':memory:' });
  const issuer = new TokenIssuer('assist-test-secret-that-is-long-enough');
  const app = Fastify({ logger: false });
  const permissions = new Map<string, string | undefined>();
  let staff: StaffPrincipal | undefined = STAFF;
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) permissions.set(`${m} ${route.url}`, route.config?.permission);
  });
  app.decorateRequest('staff', undefined);
  app.addHook('onRequest', async (req, reply) => {
    if (!req.routeOptions.config.permission) return reply.code(403).send();
    req.staff = staff;
  });
  const options: StaffModuleOptions = {
    config: loadConfig({ LOTSE_DATA_DIR: ':memory:' }),
    knowledge,
    stores,
    registry: new FlowRegistry(),
    issuer,
    // Assist uses neither the handoff desk nor its events.
    handoffs: undefined as never,
    events: undefined as never,
  };
  await app.register(assistRoutes, options);
  await app.ready();
  return {
    app,
    stores,
    issuer,
    permissions,
    actAs: (next) => {
      staff = next;
    },
    close: async () => {
      await app.close();
      await stores.close();
    },
  };
}
