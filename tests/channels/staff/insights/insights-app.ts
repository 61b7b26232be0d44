/**
 * A fastify app with the console's real foundation (sessions, auth gate with roles and CSRF,
 * form bodies) and only the insights module, on real in-memory stores, the demo catalogue and the
 * real flows, for driving the insights routes with `inject()` as a logged-in editor or admin.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../../../../channels/config.js';
import type { StaffModuleOptions } from '../../../../channels/staff/contract.js';
import { TokenIssuer } from '../../../../channels/directline/tokens.js';
import { hashPassword } from '../../../../channels/staff/auth/password.js';
import { setUpStaffScope } from '../../../../channels/staff/foundation.js';
import { insightsRoutes } from '../../../../channels/staff/insights/routes.js';
import { FlowRegistry } from '../../../../flows/registry.js';
import type { KnowledgeBase } from '../../../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../../../storage/open-store.js';
import type { StaffRole } from '../../../../storage/types.js';
import { FAST_SCRYPT, PASSWORD, sessionCookie, type Session } from '../auth/console-app.js';

export interface InsightsApp {
  app: FastifyInstance;
  stores: Stores;
  /** Creates an account and logs it in over JSON. */
  loginAs(username: string, role: StaffRole): Promise<Session>;
  close(): Promise<void>;
}

export async function startInsightsApp(knowledge: KnowledgeBase): Promise<InsightsApp> {
  const config = loadConfig({ LOTSE_DATA_DIR: ':memory:' });
  const stores = await openStores({ dataDir: ':memory:' });
  const app = Fastify({ logger: false });
  const options: StaffModuleOptions = {
    config,
    knowledge,
    stores,
    registry: new FlowRegistry(),
    issuer: new TokenIssuer('insights-test-secret-that-is-long-enough'),
    // Insights use neither the handoff desk nor its events.
    handoffs: undefined as never,
    events: undefined as never,
  };
  await app.register(async (scope) => {
    await setUpStaffScope(scope, { config, stores, passwordParams: FAST_SCRYPT });
    await scope.register(insightsRoutes, options);
  });
  await app.ready();
  return {
    app,
    stores,
    async loginAs(username, role) {
      await stores.staffAccounts.upsert({
        username,
        role,
        passwordHash: await hashPassword(PASSWORD, FAST_SCRYPT),
      });
      const res = await app.inject({
        method: 'POST',
        url: '/staff/login',
        payload: { username, password: PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      return {
        cookie: sessionCookie(res)!,
        csrfToken: (res.json() as { csrfToken: string }).csrfToken,
      };
    },
    close: async () => {
      await app.close();
      await stores.close();
    },
  };
}
