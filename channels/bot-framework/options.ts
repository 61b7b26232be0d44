/**
 * The plugin's settings, validated when the server starts: a wrong value stops the start with a
 * message naming the setting, instead of surfacing as a 401 on the first message from Teams.
 */
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { BotFrameworkCredentials } from './authentication.js';

/**
 * Default body limit. Channel activities are small; Teams invokes with Adaptive Card data and
 * attachments run to tens of KiB, so this leaves room without letting a sender park megabytes.
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** Options of {@link botFrameworkMessages}. Every field but `bot` is optional. */
export interface BotFrameworkMessagesOptions extends BotFrameworkCredentials {
  /** Runs one turn; usually `(context) => lotseBot.run(context)`. */
  bot: (context: TurnContext) => Promise<void>;
  /** Largest accepted body in bytes; default {@link DEFAULT_MAX_BODY_BYTES}. Larger gets 413. */
  maxBodyBytes?: number;
}

/** The options after validation, with defaults applied. */
export interface BotFrameworkSettings extends BotFrameworkCredentials {
  bot: (context: TurnContext) => Promise<void>;
  maxBodyBytes: number;
}

/** Raised for invalid plugin options; the message names the option and what is wrong. */
export class BotFrameworkOptionsError extends Error {
  readonly code = 'LOTSE_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'BotFrameworkOptionsError';
  }
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const OptionsSchema = z
  .object({
    appId: z
      .string()
      .trim()
      .min(1, 'must not be empty; leave it unset to run without authentication')
      .optional(),
    appPassword: nonEmpty.optional(),
    appTenantId: nonEmpty.optional(),
    appType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
    openIdMetadataUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    bot: z.custom<BotFrameworkSettings['bot']>(
      (v) => typeof v === 'function',
      'must be a function',
    ),
    maxBodyBytes: z.number().int().positive().default(DEFAULT_MAX_BODY_BYTES),
  })
  .superRefine((o, ctx) => {
    // Without an app id botbuilder silently switches authentication off; a password or tenant
    // without one is a deployment mistake, not a request to run open.
    if (!o.appId && (o.appPassword || o.appTenantId || o.appType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['appId'],
        message: 'is required when appPassword, appTenantId or appType is set',
      });
    }
    if ((o.appType === 'SingleTenant' || o.appType === 'UserAssignedMSI') && !o.appTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['appTenantId'],
        message: `is required for ${o.appType}`,
      });
    }
  });

/** Validates the options; throws {@link BotFrameworkOptionsError} naming every wrong one. */
export function parseBotFrameworkOptions(
  options: BotFrameworkMessagesOptions,
): BotFrameworkSettings {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new BotFrameworkOptionsError(`bot-framework: invalid option ${lines.join('; ')}`);
  }
  return parsed.data;
}
