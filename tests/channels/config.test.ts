import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../channels/config.js';

describe('loadConfig', () => {
  it('has a default for every setting', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3978,
      host: '127.0.0.1',
      logLevel: 'info',
      logContent: false,
      databaseUrl: undefined,
      directLine: {
        secret: undefined,
        tokenTtlSeconds: 1800,
        tokenRateLimit: 30,
        uploadMaxBytes: 4 * 2 ** 20,
      },
      botFramework: { appId: undefined, appPassword: undefined },
      embeddingModel: undefined,
      flows: {
        backendsFile: undefined,
        expiryHours: 72,
        dispatchIntervalMs: 2000,
        callbackSecrets: [],
      },
      trustedProxies: [],
      staff: {
        sessionIdleMinutes: 30,
        sessionMaxHours: 12,
        loginAttempts: 5,
        loginWindowMinutes: 15,
        presenceSeconds: 60,
      },
      handoff: { pendingMinutes: 30, idleMinutes: 30 },
      insightsQuestions: true,
    });
    expect(c.dataDir).toMatch(/\/data$/);
  });

  it.each([
    ['PORT', 'abc'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOTSE_TOKEN_TTL_SECONDS', '0'],
    ['LOTSE_DIRECTLINE_SECRET', 'short'],
    ['LOTSE_LOG_CONTENT', 'yes'],
    ['MicrosoftAppType', 'Everyone'],
    ['LOTSE_CALLBACK_SECRETS', 'short'],
    ['LOTSE_FLOW_EXPIRY_HOURS', '-1'],
    ['LOTSE_TRUSTED_PROXIES', 'everyone'],
    ['LOTSE_STAFF_SESSION_IDLE_MINUTES', '0'],
    ['LOTSE_STAFF_PRESENCE_SECONDS', '1'],
    ['LOTSE_HANDOFF_PENDING_MINUTES', 'soon'],
    ['LOTSE_INSIGHTS_QUESTIONS', 'maybe'],
    ['LOTSE_TELEGRAM_TOKEN', 'not-a-token'],
    ['LOTSE_TELEGRAM_SECRET', 'has spaces in it!'],
    ['LOTSE_WHATSAPP_PHONE_ID', 'abc'],
    ['LOTSE_WHATSAPP_TEMPLATE', 'Bad Name'],
    ['LOTSE_MATRIX_HOMESERVER', 'ftp://matrix.example'],
    ['LOTSE_MATRIX_HOMESERVER', 'http://matrix.example'],
    ['LOTSE_TELEGRAM_API_BASE', 'http://api.telegram.example'],
    ['LOTSE_CHANNEL_RATE_LIMIT', '0'],
  ])('stops with a message naming %s for a wrong value', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('never repeats a secret in its error message', () => {
    expect(() => loadConfig({ LOTSE_DIRECTLINE_SECRET: 'tiny-secret' })).not.toThrow(/tiny-secret/);
  });

  it('refuses an app password without an app id', () => {
    expect(() => loadConfig({ MicrosoftAppPassword: 'pw' })).toThrow(/MicrosoftAppId/);
  });

  it('trusts forwarded headers only from named proxies (loopback behind a public URL)', () => {
    expect(loadConfig({ LOTSE_PUBLIC_URL: 'https://chat.example' }).trustedProxies).toEqual([
      'loopback',
    ]);
    expect(
      loadConfig({ LOTSE_TRUSTED_PROXIES: '10.0.0.1, 10.1.0.0/16,::1' }).trustedProxies,
    ).toEqual(['10.0.0.1', '10.1.0.0/16', '::1']);
  });

  it('turns a messenger on with its first setting and names what else it needs', () => {
    expect(loadConfig({}).telegram).toBeUndefined();
    expect(() => loadConfig({ LOTSE_TELEGRAM_TOKEN: '123:abcdefghijklmnopqrstuvwxyz' })).toThrow(
      /LOTSE_TELEGRAM_SECRET/,
    );
    expect(() => loadConfig({ LOTSE_WHATSAPP_TOKEN: 'token' })).toThrow(
      /LOTSE_WHATSAPP_APP_SECRET, LOTSE_WHATSAPP_VERIFY_TOKEN, LOTSE_WHATSAPP_PHONE_ID/,
    );
    expect(() => loadConfig({ LOTSE_MATRIX_HOMESERVER: 'https://m.example' })).toThrow(
      /LOTSE_MATRIX_TOKEN/,
    );
    const c = loadConfig({
      LOTSE_WHATSAPP_TOKEN: 'token',
      LOTSE_WHATSAPP_APP_SECRET: 'app-secret-0123456789',
      LOTSE_WHATSAPP_VERIFY_TOKEN: 'verify-token-0123456789',
      LOTSE_WHATSAPP_PHONE_ID: '1065',
      LOTSE_WHATSAPP_TEMPLATE: 'lotse_update:de',
    });
    expect(c.whatsapp).toMatchObject({
      apiBase: 'https://graph.facebook.com/v21.0',
      template: { name: 'lotse_update', language: 'de' },
    });
  });

  it('refuses a channel secret without the setting that turns the channel on', () => {
    expect(() => loadConfig({ LOTSE_MATRIX_TOKEN: 'syt_token' })).toThrow(
      /LOTSE_MATRIX_TOKEN: set LOTSE_MATRIX_HOMESERVER too/,
    );
    expect(() => loadConfig({ LOTSE_TELEGRAM_SECRET: 'secret-0123456789abcdef' })).toThrow(
      /set LOTSE_TELEGRAM_TOKEN too/,
    );
    expect(
      loadConfig({ LOTSE_MATRIX_HOMESERVER: 'http://127.0.0.1:8008', LOTSE_MATRIX_TOKEN: 't' })
        .matrix,
    ).toEqual({ homeserver: 'http://127.0.0.1:8008', token: 't' });
  });

  it('never repeats a messenger secret in its error message', () => {
    expect(() => loadConfig({ LOTSE_TELEGRAM_TOKEN: 'secret-value-xyz' })).not.toThrow(
      /secret-value-xyz/,
    );
  });
});
