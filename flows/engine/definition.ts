/**
 * How a conversational application ("flow") is declared: data plus small functions. A flow lists
 * its fields — each with a prompt in German and English, a parser for free text, optional choices,
 * a condition and a once-only profile key — and says how the confirmed answers become a
 * submission for its backend connector. The engine (`engine.ts`) does the conversation.
 */
import type { z } from 'zod';

/** German and English variants of a user-facing text. */
export interface Texts {
  de: string;
  en: string;
}

/** What a parser returns for one answer; `error` is a stable code with texts in the flow texts. */
export type FieldParse<T> = { ok: true; value: T; display: string } | { ok: false; error: string };

/** Answers given so far, by field id. */
export type Answers = Readonly<Record<string, unknown>>;

/** A choice offered as a button; `text` is what the parser receives when it is pressed. */
export interface Choice {
  label: Texts;
  text: string;
}

export interface FieldDefinition<T = unknown> {
  id: string;
  /** Short name for the summary and for corrections ("die Straße ist …"). */
  label: Texts;
  /** Further words a user may use to name this field in a correction. */
  aliases?: readonly string[];
  prompt: Texts;
  /** Extra explanation after a failed answer or on "Hilfe". */
  help?: Texts;
  parse(text: string, context: { answers: Answers; now: Date; value?: unknown }): FieldParse<T>;
  /** Checks the parsed value once more against the flow's data model. */
  schema: z.ZodType<T>;
  optional?: boolean;
  choices?: readonly Choice[];
  /** Asked only when this returns true for the answers so far. */
  when?(answers: Answers): boolean;
  /** Profile entry offered for this field with the user's consent (once only). */
  profileKey?: string;
}

export interface FlowDefinition {
  id: string;
  /** The catalogue service the flow applies for. */
  serviceId: string;
  title: Texts;
  /** Phrases that open the flow when a user asks for it (normalised, lower case). */
  triggers: readonly RegExp[];
  fields: readonly FieldDefinition[];
  /** The connector that delivers submissions of this flow (configured per flow). */
  connector: string;
  /** Turns the confirmed answers into the payload sent to the backend. */
  toSubmission(answers: Answers, context: { now: Date }): Record<string, unknown>;
  /** Services offered after completion (same life situation). */
  relatedServiceIds?: readonly string[];
}
