/**
 * The one place that reads the environment. Every setting is validated with zod at start; a wrong
 * value stops the start with a message naming the variable. Modules receive the parsed `Config`.
 * The README's settings table lists the same names and defaults.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** Settings, their environment variables and defaults. */
export const ConfigSchema = z.object({
  LOTSE_DATA_DIR: z.string().min(1).default('./data'),
  PORT: port.default(3978),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOTSE_EMBEDDING_MODEL: z.string().min(1).optional(),
  LOTSE_MODELS_DIR: z.string().min(1).optional(),
  LOTSE_SYNONYM_FILES: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean)
        : undefined,
    ),
});

export interface Config {
  dataDir: string;
  port: number;
  host: string;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
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

/** Parses settings from an environment (by default the process's). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`,
    );
    throw new ConfigError(`invalid setting ${lines.join('; ')}`);
  }
  const c = parsed.data;
  return {
    dataDir: resolve(c.LOTSE_DATA_DIR),
    port: c.PORT,
    host: c.HOST,
    logLevel: c.LOG_LEVEL,
    synonymFiles: c.LOTSE_SYNONYM_FILES?.map((f) => resolve(f)),
    embeddingModel: c.LOTSE_EMBEDDING_MODEL ? resolve(c.LOTSE_EMBEDDING_MODEL) : undefined,
    modelsDir: resolve(c.LOTSE_MODELS_DIR ?? resolve(c.LOTSE_DATA_DIR, 'models')),
  };
}
