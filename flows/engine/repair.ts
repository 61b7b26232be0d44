/**
 * Recognises conversation repair in a flow: buttons (skip, submit, edit, cancel), the words users
 * type for them in German and English, and corrections of earlier answers in free text
 * ("nein, die Straße ist Hauptstraße 5", "correction: my email is …").
 */
import { z } from 'zod';
import type { FlowDefinition } from './definition.js';

export type Repair =
  | { kind: 'cancel' | 'cancel-yes' | 'cancel-no' | 'back' | 'skip' | 'submit' | 'handoff' }
  | { kind: 'edit'; fieldId: string }
  | { kind: 'correct'; fieldId: string; text: string };

const ButtonSchema = z.union([
  z.object({
    flowAction: z.enum(['cancel', 'cancel-yes', 'cancel-no', 'skip', 'submit', 'handoff', 'back']),
  }),
  z.object({ flowAction: z.literal('edit'), field: z.string().min(1).max(64) }),
]);

const CANCEL = /^(abbrechen|antrag abbrechen|abbruch|stopp?|cancel|quit)$/;
const BACK = /^(zurück|zurueck|eins zurück|back|go back)$/;
const SKIP = /^(überspringen|ueberspringen|weiter ohne|keine angabe|skip)$/;
const SUBMIT = /^(absenden|abschicken|senden|ja,? absenden|submit|send)$/;
const YES = /^(ja|jawohl|ja bitte|yes|y)$/;
const NO = /^(nein|ne|nö|no|n)$/;
const CORRECTION =
  /^(?:(?:nein|no|doch|korrektur|correction|sorry|falsch)\b[,:!.]?\s*)?(?:die|der|das|mein|meine|meinen|the|my)?\s*([\p{L}][\p{L} -]{1,40}?)\s+(?:ist|lautet|heißt|heisst|is|should be)\s+(.+)$/iu;

function normalise(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ');
}

function fieldNamed(flow: FlowDefinition, name: string): string | undefined {
  const n = normalise(name);
  return flow.fields.find((f) =>
    [f.label.de, f.label.en, ...(f.aliases ?? [])].some((label) => normalise(label) === n),
  )?.id;
}

/** The repair an input asks for, if any. */
export function detectRepair(
  flow: FlowDefinition,
  input: { text?: string; value?: unknown },
  phase: 'asking' | 'summary' | 'confirm-cancel',
): Repair | undefined {
  const button = ButtonSchema.safeParse(input.value);
  if (button.success) {
    return button.data.flowAction === 'edit'
      ? { kind: 'edit', fieldId: button.data.field }
      : { kind: button.data.flowAction };
  }
  const text = normalise(input.text ?? '');
  if (!text) return undefined;
  if (phase === 'confirm-cancel') {
    if (YES.test(text) || CANCEL.test(text)) return { kind: 'cancel-yes' };
    if (NO.test(text)) return { kind: 'cancel-no' };
  }
  if (CANCEL.test(text)) return { kind: 'cancel' };
  if (BACK.test(text)) return { kind: 'back' };
  if (SKIP.test(text)) return { kind: 'skip' };
  if (phase === 'summary' && (SUBMIT.test(text) || YES.test(text))) return { kind: 'submit' };
  const correction = CORRECTION.exec((input.text ?? '').trim());
  if (correction) {
    const fieldId = fieldNamed(flow, correction[1] ?? '');
    if (fieldId) return { kind: 'correct', fieldId, text: (correction[2] ?? '').trim() };
  }
  return undefined;
}
