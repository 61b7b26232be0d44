/**
 * Recognises the few things a user can say to the bot itself rather than to the catalogue: help,
 * restart, talk to a person, and the values sent by buttons (feedback, choosing a service).
 */
import { z } from 'zod';
import { normalise } from '../knowledge/analysis/normalise.js';

export type Command =
  | { kind: 'help' }
  | { kind: 'restart' }
  | { kind: 'human' }
  | { kind: 'leave-contact' }
  | { kind: 'my-data' }
  | { kind: 'delete-data' }
  | { kind: 'profile-consent'; granted: boolean }
  | { kind: 'choose'; serviceId: string }
  | {
      kind: 'feedback';
      rating: 'up' | 'down';
      answerId: string;
      serviceId?: string;
      facet?: string;
    };

const HELP = /^(hilfe|help|\?|was kannst du( alles)?|what can you do)[.!?]*$/;
const RESTART = /^(neustart|neu starten|von vorne|restart|start over|reset)[.!?]*$/;
const HUMAN =
  /\b(mitarbeiter(in)?|mensch(en)?|sachbearbeiter(in)?|person|agent|human|staff)\b.*\b(sprechen|reden|verbinden|talk|speak)\b|\b(talk|speak) to (a )?(person|human|someone|agent)\b|^(mitarbeiter|mensch|agent|human)( sprechen)?[.!?]*$/;

const MY_DATA =
  /^(meine (gespeicherten )?daten( anzeigen)?|gespeicherte daten|my (saved )?data|show my data)[.!?]*$/;
const DELETE_DATA = /^((meine )?daten löschen|lösche meine daten|delete my data|forget me)[.!?]*$/;

/** The values the bot's own buttons send back (postBack). */
export const ButtonValueSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('choose'), serviceId: z.string().min(1).max(64) }),
  z.object({ action: z.literal('profile-consent'), granted: z.boolean() }),
  z.object({ action: z.literal('leave-contact') }),
  z.object({
    action: z.literal('feedback'),
    rating: z.enum(['up', 'down']),
    answerId: z.string().min(1).max(64),
    serviceId: z.string().max(64).optional(),
    facet: z.string().max(32).optional(),
  }),
]);

/** The command in a message's text or button value, if any. */
export function parseCommand(text: string | undefined, value: unknown): Command | undefined {
  const button = ButtonValueSchema.safeParse(value);
  if (button.success) {
    const v = button.data;
    if (v.action === 'profile-consent') return { kind: 'profile-consent', granted: v.granted };
    if (v.action === 'leave-contact') return { kind: 'leave-contact' };
    return v.action === 'choose'
      ? { kind: 'choose', serviceId: v.serviceId }
      : {
          kind: 'feedback',
          rating: v.rating,
          answerId: v.answerId,
          ...(v.serviceId ? { serviceId: v.serviceId } : {}),
          ...(v.facet ? { facet: v.facet } : {}),
        };
  }
  const t = normalise(text ?? '').trim();
  if (!t) return undefined;
  if (HELP.test(t)) return { kind: 'help' };
  if (RESTART.test(t)) return { kind: 'restart' };
  if (HUMAN.test(t)) return { kind: 'human' };
  if (DELETE_DATA.test(t)) return { kind: 'delete-data' };
  if (MY_DATA.test(t)) return { kind: 'my-data' };
  return undefined;
}
