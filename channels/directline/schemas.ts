/**
 * What clients may send, checked with zod at the boundary. Only the fields listed here reach the
 * bot and the transcript; everything else a client adds is dropped, so a client cannot pose as
 * the bot, pick another conversation or smuggle a link into the stored activity.
 */
import { z } from 'zod';
import { DirectLineErrors } from './errors.js';

/** Longest message text accepted (Direct Line clients split nothing; longer input is a mistake). */
export const MAX_TEXT_LENGTH = 4000;

// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

/** A user id chosen by a client or the page's backend. `dl_` is reserved for ids we generate. */
export const UserIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(PRINTABLE, 'must not contain control characters')
  .refine((id) => !id.startsWith('dl_'), 'user ids starting with dl_ are reserved');

/** Body of `POST /tokens/generate` and `POST /conversations` (both optional). */
export const StartBodySchema = z
  .object({
    user: z
      .object({ id: UserIdSchema.optional(), name: z.string().max(128).optional() })
      .optional(),
    locale: z.string().max(35).optional(),
  })
  .optional();

const FromSchema = z
  .object({
    id: z.string().max(64).optional(),
    name: z.string().max(128).optional(),
  })
  .optional();

/** The fields of a client activity that are kept. */
const ActivityFields = {
  text: z.string().max(MAX_TEXT_LENGTH).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(35).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  from: FromSchema,
  localTimestamp: z.string().max(40).optional(),
  localTimezone: z.string().max(64).optional(),
};

/** Body of `POST /conversations/:id/activities`. */
export const IncomingActivitySchema = z.object({
  ...ActivityFields,
  type: z.enum(['message', 'event', 'typing', 'messageReaction']),
  name: z.string().max(256).optional(),
  value: z.unknown().optional(),
  replyToId: z.string().max(256).optional(),
  /** Shared locations (`GeoCoordinates`, `Place`) and mentions; bounded, passed on as sent. */
  entities: z
    .array(z.looseObject({ type: z.string().min(1).max(64) }))
    .max(5)
    .optional(),
  reactionsAdded: z
    .array(z.object({ type: z.string().max(64) }))
    .max(10)
    .optional(),
  reactionsRemoved: z
    .array(z.object({ type: z.string().max(64) }))
    .max(10)
    .optional(),
  attachments: z
    .array(z.unknown())
    .max(0, 'files must be sent to /conversations/{id}/upload')
    .optional(),
});
/** A client activity after validation. */
export type IncomingActivity = z.infer<typeof IncomingActivitySchema>;

/** The `activity` part of an upload: a message template whose files are the other parts. */
export const UploadActivitySchema = z.object({
  ...ActivityFields,
  type: z.literal('message').default('message'),
});
/** The activity part of an upload after validation. */
export type UploadActivity = z.infer<typeof UploadActivitySchema>;

/**
 * Parses `value` with `schema` or throws a 400 naming the first offending field, so the caller
 * learns what to fix without the error echoing their input back.
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join('.') : '(body)';
  throw DirectLineErrors.badArgument(
    `directline: invalid ${what}: ${path}: ${issue?.message ?? 'invalid'}`,
  );
}
