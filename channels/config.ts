/**
 * The one place that reads the environment. Every setting is validated with zod at start; a wrong
 * value stops the start with a message naming the variable. Modules receive the parsed `Config`.
 * The README's settings table lists the same names and defaults.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/**
 * An API base URL that carries a token: https, or http only to this machine (a local Bot API
 * server, test peers) — a token must not travel in clear text over a network.
 */
const tokenEndpoint = z.url({ protocol: /^https?$/ }).refine((v) => {
  const url = new URL(v);
  return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}, 'must be https (http only for 127.0.0.1 or localhost)');

/** A comma-separated list; unset or empty gives undefined. */
const commaList = z
  .string()
  .optional()
  .transform((v) => {
    const list = (v ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    return list.length ? list : undefined;
  });
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/** Settings, their environment variables and defaults. */
export const ConfigSchema = z.object({
  LOTSE_DATA_DIR: z.string().min(1).default('./data'),
  PORT: port.default(3978),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOTSE_LOG_CONTENT: bool.default(false),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  LOTSE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// connection string')
    .optional(),
  LOTSE_REDIS_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, 'must be 1–64 characters of letters, digits, _ . : -')
    .default('lotse:'),
  LOTSE_RETENTION_DAYS: positiveInt.max(3650).default(30),
  LOTSE_INSIGHTS_RETENTION_DAYS: positiveInt.max(3650).default(180),
  LOTSE_TRUSTED_PROXIES: commaList.refine(
    (list) =>
      !list ||
      list.every((x) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$|^(loopback|linklocal|uniquelocal)$/.test(x)),
    'must be comma-separated IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal)',
  ),
  LOTSE_DIRECTLINE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOTSE_TOKEN_TTL_SECONDS: positiveInt.max(86_400).default(1800),
  LOTSE_TOKEN_RATE_LIMIT: positiveInt.default(30),
  LOTSE_UPLOAD_MAX_BYTES: positiveInt.max(50 * 2 ** 20).default(4 * 2 ** 20),
  LOTSE_BACKENDS_FILE: z.string().min(1).optional(),
  LOTSE_CALLBACK_SECRETS: commaList
    .transform((list) => list ?? [])
    .refine(
      (list) => list.every((x) => x.length >= 16),
      'every secret needs at least 16 characters',
    ),
  LOTSE_FLOW_EXPIRY_HOURS: positiveInt.max(24 * 90).default(72),
  LOTSE_DISPATCH_INTERVAL_MS: positiveInt.min(100).default(2000),
  LOTSE_DISPATCH_LEASE_MS: positiveInt.min(1000).default(120_000),
  LOTSE_STAFF_SESSION_IDLE_MINUTES: positiveInt.max(24 * 60).default(30),
  LOTSE_STAFF_SESSION_MAX_HOURS: positiveInt.max(24 * 7).default(12),
  LOTSE_STAFF_LOGIN_ATTEMPTS: positiveInt.max(100).default(5),
  LOTSE_STAFF_LOGIN_WINDOW_MINUTES: positiveInt.max(24 * 60).default(15),
  LOTSE_STAFF_PRESENCE_SECONDS: positiveInt.min(5).max(3600).default(60),
  LOTSE_HANDOFF_PENDING_MINUTES: positiveInt.max(24 * 60).default(30),
  LOTSE_HANDOFF_IDLE_MINUTES: positiveInt.max(24 * 60).default(30),
  LOTSE_INSIGHTS_QUESTIONS: bool.default(true),
  LOTSE_TELEGRAM_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, 'must be a Bot API token (digits, a colon, the secret)')
    .optional(),
  LOTSE_TELEGRAM_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A–Z, a–z, 0–9, _ and -')
    .optional(),
  LOTSE_TELEGRAM_API_BASE: tokenEndpoint.default('https://api.telegram.org'),
  LOTSE_WHATSAPP_TOKEN: optionalText,
  LOTSE_WHATSAPP_APP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  LOTSE_WHATSAPP_VERIFY_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOTSE_WHATSAPP_PHONE_ID: z
    .string()
    .regex(/^\d+$/, 'must be the numeric phone number id')
    .optional(),
  LOTSE_WHATSAPP_API_BASE: tokenEndpoint.default('https://graph.facebook.com/v21.0'),
  LOTSE_WHATSAPP_TEMPLATE: z
    .string()
    .regex(/^[a-z0-9_]+(:[a-z]{2}(_[A-Z]{2})?)?$/, 'must be template_name or template_name:de')
    .optional(),
  LOTSE_MATRIX_HOMESERVER: tokenEndpoint.optional(),
  LOTSE_MATRIX_TOKEN: optionalText,
  LOTSE_CHANNEL_RATE_LIMIT: positiveInt.max(1000).default(20),
  LOTSE_EMBEDDING_MODEL: z.string().min(1).optional(),
  LOTSE_MODELS_DIR: z.string().min(1).optional(),
  LOTSE_SYNONYM_FILES: commaList,
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppTenantId: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  LOTSE_BOTFRAMEWORK_OPENID_URL: z.url().optional(),
});

export interface Config {
  dataDir: string;
  port: number;
  host: string;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  /** Log message texts and full URLs (off by default: logs carry no personal data). */
  logContent: boolean;
  /** PostgreSQL connection string; SQLite in the data directory when unset. */
  databaseUrl: string | undefined;
  /**
   * Redis for several instances: pub/sub carries replies and console events to the instance that
   * holds the WebSocket, and rate limits are shared. In-process when unset (one instance).
   */
  redisUrl: string | undefined;
  /** Prefix of Lotse's Redis keys and channels; instances that work together share it. */
  redisPrefix: string;
  retention: {
    /** Transcripts and conversation state untouched this long are deleted. */
    days: number;
    /** Masked questions and funnel events are kept this long for the insights. */
    insightsDays: number;
  };
  /** The public base URL (behind a proxy), used for WebSocket stream URLs. */
  publicUrl: string | undefined;
  /**
   * Reverse proxies whose `X-Forwarded-*` headers are believed (client address for rate limits,
   * https for Secure cookies); none means the headers are ignored.
   */
  trustedProxies: string[];
  directLine: {
    /** The Direct Line secret; generated and kept in the data directory when unset. */
    secret: string | undefined;
    tokenTtlSeconds: number;
    /** Token requests per minute and client address on the web chat page's token endpoint. */
    tokenRateLimit: number;
    uploadMaxBytes: number;
  };
  botFramework: {
    appId: string | undefined;
    appPassword: string | undefined;
    appTenantId: string | undefined;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' | undefined;
    openIdMetadataUrl: string | undefined;
  };
  flows: {
    /** JSON file naming each flow's backend (see channels/backends.ts); none: submissions wait. */
    backendsFile: string | undefined;
    /** An unfinished application untouched this long is discarded. */
    expiryHours: number;
    /** How often the outbox dispatcher looks for due submissions. */
    dispatchIntervalMs: number;
    /** How long a dispatcher holds a submission it is delivering; after a crash it is retried then. */
    dispatchLeaseMs: number;
    /** Secrets backends sign status callbacks with; the callback route is off without one. */
    callbackSecrets: string[];
  };
  staff: {
    /** A console session unused this long ends. */
    sessionIdleMinutes: number;
    /** A console session ends this long after login, however active. */
    sessionMaxHours: number;
    /** Wrong passwords allowed per user name and per client address within the window. */
    loginAttempts: number;
    loginWindowMinutes: number;
    /** An agent whose console has not checked in for this long counts as offline. */
    presenceSeconds: number;
  };
  handoff: {
    /** A request no agent has taken after this long expires; the citizen is told. */
    pendingMinutes: number;
    /** A taken conversation with no message either way for this long expires. */
    idleMinutes: number;
  };
  /** Telegram Bot API; off without a token. */
  telegram:
    | {
        token: string;
        /** The `X-Telegram-Bot-Api-Secret-Token` every webhook call must carry. */
        secret: string;
        apiBase: string;
      }
    | undefined;
  /** WhatsApp Cloud API; off without a token. */
  whatsapp:
    | {
        token: string;
        /** Signs webhook bodies (`X-Hub-Signature-256`). */
        appSecret: string;
        /** Answers Meta's GET verification handshake. */
        verifyToken: string;
        phoneId: string;
        apiBase: string;
        /** A message template for messages outside the 24-hour window (`name` or `name:de`). */
        template: { name: string; language: string } | undefined;
      }
    | undefined;
  /** A Matrix bot account; off without a homeserver. */
  matrix: { homeserver: string; token: string } | undefined;
  /** Messages per minute one messenger user may send before Lotse asks them to slow down. */
  channelRateLimit: number;
  /**
   * Keep not-answered and low-confidence questions (personal data masked, no user or conversation
   * id) for the editors' insights.
   */
  insightsQuestions: boolean;
  synonymFiles: string[] | undefined;
  /** Local sentence-embedding model directory; dense retrieval is off when unset. */
  embeddingModel: string | undefined;
  /** Where `lotse models pull` puts models. */
  modelsDir: string;
}

/** Raised for an invalid setting; the message names the variable and what is wrong. */
export class ConfigError extends Error {
  readonly code = 'LOTSE_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const SECRET_NAMES = new Set([
  'REDIS_URL',
  'LOTSE_TELEGRAM_TOKEN',
  'LOTSE_TELEGRAM_SECRET',
  'LOTSE_WHATSAPP_TOKEN',
  'LOTSE_WHATSAPP_APP_SECRET',
  'LOTSE_WHATSAPP_VERIFY_TOKEN',
  'LOTSE_MATRIX_TOKEN',
  'LOTSE_DIRECTLINE_SECRET',
  'MicrosoftAppPassword',
  'DATABASE_URL',
  'LOTSE_CALLBACK_SECRETS',
]);

/** A channel is on with its first setting; then the others it needs must be set too. */
function requireTogether(on: string | undefined, needed: Record<string, string | undefined>) {
  if (!on) return;
  const missing = Object.entries(needed)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length) throw new ConfigError(`invalid setting ${missing.join(', ')}: required`);
}

/** Settings of a channel that mean nothing unless `first` (the one that turns it on) is set. */
function requireFirst(
  name: string,
  first: string | undefined,
  dependants: Record<string, string | undefined>,
) {
  if (first) return;
  const set = Object.entries(dependants)
    .filter(([, value]) => value)
    .map(([dependant]) => dependant);
  if (set.length) throw new ConfigError(`invalid setting ${set.join(', ')}: set ${name} too`);
}

/** Parses settings from an environment (by default the process's). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      const got = SECRET_NAMES.has(name) ? '' : ` (got ${JSON.stringify(env[name])})`;
      return `${i.path.join('.')}: ${i.message}${got}`;
    });
    throw new ConfigError(`invalid setting ${lines.join('; ')}`);
  }
  const c = parsed.data;
  if (c.MicrosoftAppPassword && !c.MicrosoftAppId) {
    throw new ConfigError('invalid setting MicrosoftAppPassword: set MicrosoftAppId too');
  }
  requireTogether(c.LOTSE_TELEGRAM_TOKEN, { LOTSE_TELEGRAM_SECRET: c.LOTSE_TELEGRAM_SECRET });
  requireTogether(c.LOTSE_WHATSAPP_TOKEN, {
    LOTSE_WHATSAPP_APP_SECRET: c.LOTSE_WHATSAPP_APP_SECRET,
    LOTSE_WHATSAPP_VERIFY_TOKEN: c.LOTSE_WHATSAPP_VERIFY_TOKEN,
    LOTSE_WHATSAPP_PHONE_ID: c.LOTSE_WHATSAPP_PHONE_ID,
  });
  requireTogether(c.LOTSE_MATRIX_HOMESERVER, { LOTSE_MATRIX_TOKEN: c.LOTSE_MATRIX_TOKEN });
  // A channel's secret without the setting that turns the channel on is a mistake, not a default.
  requireFirst('LOTSE_TELEGRAM_TOKEN', c.LOTSE_TELEGRAM_TOKEN, {
    LOTSE_TELEGRAM_SECRET: c.LOTSE_TELEGRAM_SECRET,
  });
  requireFirst('LOTSE_WHATSAPP_TOKEN', c.LOTSE_WHATSAPP_TOKEN, {
    LOTSE_WHATSAPP_APP_SECRET: c.LOTSE_WHATSAPP_APP_SECRET,
    LOTSE_WHATSAPP_VERIFY_TOKEN: c.LOTSE_WHATSAPP_VERIFY_TOKEN,
    LOTSE_WHATSAPP_PHONE_ID: c.LOTSE_WHATSAPP_PHONE_ID,
    LOTSE_WHATSAPP_TEMPLATE: c.LOTSE_WHATSAPP_TEMPLATE,
  });
  requireFirst('LOTSE_MATRIX_HOMESERVER', c.LOTSE_MATRIX_HOMESERVER, {
    LOTSE_MATRIX_TOKEN: c.LOTSE_MATRIX_TOKEN,
  });
  return {
    dataDir: resolve(c.LOTSE_DATA_DIR),
    port: c.PORT,
    host: c.HOST,
    logLevel: c.LOG_LEVEL,
    logContent: c.LOTSE_LOG_CONTENT,
    databaseUrl: c.DATABASE_URL,
    publicUrl: c.LOTSE_PUBLIC_URL,
    redisUrl: c.REDIS_URL,
    redisPrefix: c.LOTSE_REDIS_PREFIX,
    retention: { days: c.LOTSE_RETENTION_DAYS, insightsDays: c.LOTSE_INSIGHTS_RETENTION_DAYS },
    // Behind a public URL the proxy is on this host unless said otherwise; never "anyone".
    trustedProxies: c.LOTSE_TRUSTED_PROXIES ?? (c.LOTSE_PUBLIC_URL ? ['loopback'] : []),
    directLine: {
      secret: c.LOTSE_DIRECTLINE_SECRET,
      tokenTtlSeconds: c.LOTSE_TOKEN_TTL_SECONDS,
      tokenRateLimit: c.LOTSE_TOKEN_RATE_LIMIT,
      uploadMaxBytes: c.LOTSE_UPLOAD_MAX_BYTES,
    },
    botFramework: {
      appId: c.MicrosoftAppId,
      appPassword: c.MicrosoftAppPassword,
      appTenantId: c.MicrosoftAppTenantId,
      appType: c.MicrosoftAppType,
      openIdMetadataUrl: c.LOTSE_BOTFRAMEWORK_OPENID_URL,
    },
    flows: {
      backendsFile: c.LOTSE_BACKENDS_FILE ? resolve(c.LOTSE_BACKENDS_FILE) : undefined,
      expiryHours: c.LOTSE_FLOW_EXPIRY_HOURS,
      dispatchIntervalMs: c.LOTSE_DISPATCH_INTERVAL_MS,
      dispatchLeaseMs: c.LOTSE_DISPATCH_LEASE_MS,
      callbackSecrets: c.LOTSE_CALLBACK_SECRETS,
    },
    staff: {
      sessionIdleMinutes: c.LOTSE_STAFF_SESSION_IDLE_MINUTES,
      sessionMaxHours: c.LOTSE_STAFF_SESSION_MAX_HOURS,
      loginAttempts: c.LOTSE_STAFF_LOGIN_ATTEMPTS,
      loginWindowMinutes: c.LOTSE_STAFF_LOGIN_WINDOW_MINUTES,
      presenceSeconds: c.LOTSE_STAFF_PRESENCE_SECONDS,
    },
    handoff: {
      pendingMinutes: c.LOTSE_HANDOFF_PENDING_MINUTES,
      idleMinutes: c.LOTSE_HANDOFF_IDLE_MINUTES,
    },
    insightsQuestions: c.LOTSE_INSIGHTS_QUESTIONS,
    telegram: c.LOTSE_TELEGRAM_TOKEN
      ? {
          token: c.LOTSE_TELEGRAM_TOKEN,
          secret: c.LOTSE_TELEGRAM_SECRET as string,
          apiBase: c.LOTSE_TELEGRAM_API_BASE.replace(/\/+$/, ''),
        }
      : undefined,
    whatsapp: c.LOTSE_WHATSAPP_TOKEN
      ? {
          token: c.LOTSE_WHATSAPP_TOKEN,
          appSecret: c.LOTSE_WHATSAPP_APP_SECRET as string,
          verifyToken: c.LOTSE_WHATSAPP_VERIFY_TOKEN as string,
          phoneId: c.LOTSE_WHATSAPP_PHONE_ID as string,
          apiBase: c.LOTSE_WHATSAPP_API_BASE.replace(/\/+$/, ''),
          template: c.LOTSE_WHATSAPP_TEMPLATE
            ? {
                name: c.LOTSE_WHATSAPP_TEMPLATE.split(':')[0] as string,
                language: c.LOTSE_WHATSAPP_TEMPLATE.split(':')[1] ?? 'de',
              }
            : undefined,
        }
      : undefined,
    matrix: c.LOTSE_MATRIX_HOMESERVER
      ? {
          homeserver: c.LOTSE_MATRIX_HOMESERVER.replace(/\/+$/, ''),
          token: c.LOTSE_MATRIX_TOKEN as string,
        }
      : undefined,
    channelRateLimit: c.LOTSE_CHANNEL_RATE_LIMIT,
    synonymFiles: c.LOTSE_SYNONYM_FILES?.map((f) => resolve(f)),
    embeddingModel: c.LOTSE_EMBEDDING_MODEL ? resolve(c.LOTSE_EMBEDDING_MODEL) : undefined,
    modelsDir: resolve(c.LOTSE_MODELS_DIR ?? resolve(c.LOTSE_DATA_DIR, 'models')),
  };
}
