/**
 * The authority's backends, configured per flow in one JSON file (`LOTSE_BACKENDS_FILE`), so an
 * operator points each application at its office without code: a signed webhook, an Open311
 * GeoReport v2 endpoint, or e-mail over SMTP. A flow without a backend keeps its submissions in the
 * outbox (visible with `lotse outbox list`) until one is configured.
 *
 * ```json
 * { "maengelmeldung": { "type": "open311", "endpoint": "https://311.stadt.example/v2", "apiKey": "…" },
 *   "bewohnerparkausweis": { "type": "webhook", "url": "https://fachverfahren.example/in", "secret": "…" },
 *   "wohnsitzanmeldung": { "type": "email", "smtpUrl": "smtp://mail.stadt.example:587", "from": "lotse@stadt.example", "to": "buergerbuero@stadt.example" } }
 * ```
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Connector } from '../flows/connectors/connector.js';
import { EmailConnector } from '../flows/connectors/email.js';
import { Open311Connector } from '../flows/connectors/open311.js';
import { SignedWebhookConnector } from '../flows/connectors/signed-webhook.js';
import { ConfigError } from './config.js';

const BackendSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/ }),
    secret: z.string().min(16),
    timeoutMs: z.number().int().positive().optional(),
  }),
  z.object({
    type: z.literal('open311'),
    endpoint: z.url({ protocol: /^https?$/ }),
    apiKey: z.string().min(1),
    jurisdictionId: z.string().optional(),
    serviceCodes: z.record(z.string(), z.string()).optional(),
  }),
  z.object({
    type: z.literal('email'),
    smtpUrl: z.url({ protocol: /^smtps?$/ }),
    from: z.string().min(3),
    to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
  }),
]);

export const BackendsSchema = z.record(z.string().min(1), BackendSchema);
export type BackendsConfig = z.infer<typeof BackendsSchema>;

/** Reads and validates the backends file; a mistake names the file and the field. */
export function readBackends(file: string | undefined): BackendsConfig {
  if (!file) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(
      `invalid setting LOTSE_BACKENDS_FILE: cannot read ${file} as JSON: ${(e as Error).message}`,
    );
  }
  const parsed = BackendsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `invalid setting LOTSE_BACKENDS_FILE: ${file}: field "${issue?.path.join('.')}": ${issue?.message}`,
    );
  }
  return parsed.data;
}

/** SMTP options from an `smtp://user:pass@host:port` or `smtps://…` URL. */
export function smtpOptions(url: string): {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
} {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
  };
}

/** Builds one connector per configured flow. */
export function createConnectors(backends: BackendsConfig): Record<string, Connector> {
  return Object.fromEntries(
    Object.entries(backends).map(([flow, b]) => {
      switch (b.type) {
        case 'webhook':
          return [
            flow,
            new SignedWebhookConnector({
              url: b.url,
              secret: b.secret,
              ...(b.timeoutMs ? { timeoutMs: b.timeoutMs } : {}),
            }),
          ];
        case 'open311':
          return [
            flow,
            new Open311Connector({
              endpoint: b.endpoint,
              apiKey: b.apiKey,
              ...(b.jurisdictionId ? { jurisdictionId: b.jurisdictionId } : {}),
              ...(b.serviceCodes ? { serviceCodes: b.serviceCodes } : {}),
            }),
          ];
        case 'email':
          return [
            flow,
            new EmailConnector({ transport: smtpOptions(b.smtpUrl), from: b.from, to: b.to }),
          ];
      }
    }),
  );
}
