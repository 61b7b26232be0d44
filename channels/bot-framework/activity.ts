/**
 * What `/api/messages` accepts as an activity. botbuilder's own check only asks for a `type`; we
 * also require the fields a channel always sends and the turn relies on, so a malformed body is a
 * 400 here instead of a TypeError deep in the adapter. Unknown fields pass through untouched:
 * channels add their own (`channelData`, `entities`, Teams' `tenant`).
 */
import { z } from 'zod';

const account = z.looseObject({ id: z.string().min(1).max(512) });

/**
 * An inbound Bot Framework activity. `channelId` is required because botbuilder skips the
 * key-endorsement check for an activity without one; `serviceUrl` must be http(s) because the
 * replies go there and, with authentication on, it must equal the token's `serviceurl` claim.
 */
export const InboundActivitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  conversation: account,
  from: account,
  recipient: account.optional(),
  deliveryMode: z.string().max(32).optional(),
  text: z.string().optional(),
});

export type InboundActivity = z.infer<typeof InboundActivitySchema>;

/** Names the first offending field of a rejected body, without echoing its value. */
export function describeActivityIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid activity';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `${path}: ${issue.message}`;
}
