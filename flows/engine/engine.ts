/**
 * The flow engine: a pure function `(flow, state, input) → (state, replies, effects)`. It asks the
 * fields in order (skipping those whose condition is false), validates every answer, and handles
 * the repair users need: correct any earlier answer in free text or from the summary, skip optional
 * fields, go back, cancel with confirmation, ask a question in between (an effect: the bot answers
 * from the catalogue, then the engine's prompt resumes), and a retry limit with a way out. It knows
 * nothing of channels, storage or botbuilder.
 */
import type { Answers, FieldDefinition, FlowDefinition, Texts } from './definition.js';
import { detectRepair, type Repair } from './repair.js';
import { ENGINE_TEXTS as T } from './texts.js';

export type Language = 'de' | 'en';

/** One answer as kept in the state: the parsed value and how to show it. */
export interface StoredAnswer {
  value: unknown;
  display: string;
}

/** A flow in progress, kept in the conversation state (JSON-serialisable). */
export interface FlowState {
  flowId: string;
  phase: 'asking' | 'summary' | 'confirm-cancel';
  /** The field being asked (phase `asking`). */
  current?: string;
  answers: Record<string, StoredAnswer>;
  /** Fields in the order they were answered, for "zurück". */
  asked: string[];
  retries: Record<string, number>;
  /** Where to go after a correction chosen in the summary, or after declining to cancel. */
  resume?: 'asking' | 'summary';
  startedAt: string;
  updatedAt: string;
}

/** A button: `title` is shown, `value` comes back as the input's value. */
export interface ReplyChoice {
  title: string;
  value: Record<string, unknown>;
}

export interface Reply {
  text: string;
  choices?: ReplyChoice[];
}

export type Effect =
  | {
      kind: 'submit';
      flowId: string;
      answers: Record<string, unknown>;
      payload: Record<string, unknown>;
      /** Answers of fields with a profile key, as displayed: what "once only" may keep. */
      profileEntries: Record<string, string>;
    }
  | { kind: 'question'; text: string }
  | { kind: 'handoff' }
  | { kind: 'cancelled' };

export interface StepResult {
  /** The new state; undefined when the flow ended (submitted or cancelled). */
  state: FlowState | undefined;
  replies: Reply[];
  effects: Effect[];
}

/** Saved once-only entries by profile key, as the user typed them (offered, never filled in). */
export type Profile = Readonly<Record<string, string>>;

export interface StepContext {
  language: Language;
  now: Date;
  /** The user's saved entries, when they consented to keeping them. */
  profile?: Profile;
  /** Failed answers per field before the way out is offered. Default 3. */
  maxRetries?: number;
}

export interface FlowInput {
  text?: string;
  value?: unknown;
}

const say = (texts: Texts, language: Language) => texts[language];

function values(state: FlowState): Answers {
  return Object.fromEntries(Object.entries(state.answers).map(([k, a]) => [k, a.value]));
}

function applicable(flow: FlowDefinition, answers: Answers): FieldDefinition[] {
  return flow.fields.filter((f) => !f.when || f.when(answers));
}

function nextField(flow: FlowDefinition, state: FlowState): FieldDefinition | undefined {
  return applicable(flow, values(state)).find(
    (f) => !(f.id in state.answers) && !state.asked.includes(f.id),
  );
}

function field(flow: FlowDefinition, id: string | undefined): FieldDefinition | undefined {
  return flow.fields.find((f) => f.id === id);
}

function prompt(f: FieldDefinition, language: Language, profile?: Profile): Reply {
  // Once only: a saved entry is offered, never filled in silently.
  const saved = f.profileKey ? profile?.[f.profileKey] : undefined;
  const choices: ReplyChoice[] = (f.choices ?? []).map((c) => ({
    title: say(c.label, language),
    value: { flowAnswer: c.text },
  }));
  if (f.optional) choices.push({ title: say(T.skip, language), value: { flowAction: 'skip' } });
  if (saved) {
    choices.unshift({ title: say(T.useSaved, language), value: { flowAnswer: saved } });
    const offer = say(T.offerProfile(f.label, saved), language);
    return { text: `${say(f.prompt, language)}\n\n${offer}`, choices };
  }
  return { text: say(f.prompt, language), ...(choices.length ? { choices } : {}) };
}

function summary(flow: FlowDefinition, state: FlowState, language: Language): Reply {
  const shown = applicable(flow, values(state)).filter(
    (f) => f.id in state.answers || state.asked.includes(f.id),
  );
  const lines = shown.map(
    (f) => `- **${say(f.label, language)}**: ${state.answers[f.id]?.display || '—'}`,
  );
  return {
    text: `${say(T.summary, language)}\n\n${lines.join('\n')}\n\n${say(T.summaryHint, language)}`,
    choices: [
      { title: say(T.submit, language), value: { flowAction: 'submit' } },
      ...shown.map((f) => ({
        title: say(T.change(f.label), language),
        value: { flowAction: 'edit', field: f.id },
      })),
      { title: say(T.cancel, language), value: { flowAction: 'cancel' } },
    ],
  };
}

/** Drops answers to fields whose condition no longer holds (after a correction). */
function pruneInapplicable(flow: FlowDefinition, state: FlowState): void {
  const keep = new Set(applicable(flow, values(state)).map((f) => f.id));
  for (const id of Object.keys(state.answers)) if (!keep.has(id)) delete state.answers[id];
  state.asked = state.asked.filter((id) => keep.has(id));
}

/** Moves to the next unanswered field, or to the summary when all are answered. */
function advance(
  flow: FlowDefinition,
  state: FlowState,
  language: Language,
  profile: Profile | undefined,
  replies: Reply[],
): StepResult {
  pruneInapplicable(flow, state);
  const next = state.resume === 'summary' ? undefined : nextField(flow, state);
  if (next) {
    state.phase = 'asking';
    state.current = next.id;
    replies.push(prompt(next, language, profile));
  } else {
    state.phase = 'summary';
    delete state.current;
    delete state.resume;
    replies.push(summary(flow, state, language));
  }
  return { state, replies, effects: [] };
}

/** Starts a flow: introduces it and asks the first field. */
export function startFlow(flow: FlowDefinition, context: StepContext): StepResult {
  const now = context.now.toISOString();
  const state: FlowState = {
    flowId: flow.id,
    phase: 'asking',
    answers: {},
    asked: [],
    retries: {},
    startedAt: now,
    updatedAt: now,
  };
  return advance(flow, state, context.language, context.profile, [
    { text: say(T.started(flow.title), context.language) },
  ]);
}

/** The prompt to repeat after an interruption (a question in between, a restart). */
export function resumePrompt(
  flow: FlowDefinition,
  state: FlowState,
  language: Language,
  profile?: Profile,
): Reply {
  const current = field(flow, state.current);
  if (state.phase === 'asking' && current) {
    const p = prompt(current, language, profile);
    return { ...p, text: `${say(T.resumed, language)} ${p.text}` };
  }
  return summary(flow, state, language);
}

function accept(
  flow: FlowDefinition,
  state: FlowState,
  f: FieldDefinition,
  text: string,
  value: unknown,
  now: Date,
) {
  const parsed = f.parse(text, {
    answers: values(state),
    now,
    ...(value === undefined ? {} : { value }),
  });
  if (!parsed.ok) return parsed;
  const checked = f.schema.safeParse(parsed.value);
  if (!checked.success) return { ok: false as const, error: 'schema' };
  state.answers[f.id] = { value: checked.data, display: parsed.display };
  if (!state.asked.includes(f.id)) state.asked.push(f.id);
  return parsed;
}

function failure(
  flow: FlowDefinition,
  state: FlowState,
  f: FieldDefinition,
  error: string,
  context: StepContext,
  errorText: (code: string) => Texts | undefined,
): StepResult {
  const { language, profile } = context;
  state.retries[f.id] = (state.retries[f.id] ?? 0) + 1;
  const reason = errorText(error) ?? T.invalid;
  const replies: Reply[] = [
    {
      text: [say(reason, language), f.help ? say(f.help, language) : ''].filter(Boolean).join(' '),
    },
  ];
  if (state.retries[f.id]! >= (context.maxRetries ?? 3)) {
    replies.push({
      text: say(T.retriesExhausted, language),
      choices: [
        { title: say(T.talkToHuman, language), value: { flowAction: 'handoff' } },
        { title: say(T.cancel, language), value: { flowAction: 'cancel' } },
      ],
    });
  }
  replies.push(prompt(f, language, profile));
  return { state, replies, effects: [] };
}

/**
 * Handles one user input. `errorText` maps parser error codes to texts (the parsers' own table).
 */
export function stepFlow(
  flow: FlowDefinition,
  previous: FlowState,
  input: FlowInput,
  context: StepContext,
  errorText: (code: string) => Texts | undefined = () => undefined,
): StepResult {
  const state: FlowState = structuredClone(previous);
  state.updatedAt = context.now.toISOString();
  const { language, profile } = context;
  const repair = detectRepair(flow, input, state.phase);
  const done = (r: Repair) => handleRepair(flow, state, r, context, errorText);
  if (repair) return done(repair);
  const current = field(flow, state.current);
  if (state.phase !== 'asking' || !current)
    return { state, replies: [resumePrompt(flow, state, language, profile)], effects: [] };
  // A choice button sends its answer text as `flowAnswer`.
  const chosen = (input.value as { flowAnswer?: unknown } | undefined)?.flowAnswer;
  const text = typeof chosen === 'string' ? chosen : (input.text?.trim() ?? '');
  // A question mark means a question in between, whatever a lenient parser would make of it.
  if (/\?\s*$/.test(text)) return { state, replies: [], effects: [{ kind: 'question', text }] };
  const parsed = accept(flow, state, current, text, input.value, context.now);
  if (parsed.ok) {
    state.retries[current.id] = 0;
    return advance(flow, state, language, profile, []);
  }
  if (looksLikeQuestion(text)) return { state, replies: [], effects: [{ kind: 'question', text }] };
  return failure(flow, state, current, parsed.error, context, errorText);
}

const QUESTION =
  /\?\s*$|^(was|wie|wo|wann|welche[rsmn]?|warum|wieso|kann|muss|darf|brauche|what|how|where|when|which|why|can|do|does|is)\b/i;

/** A text that is a question rather than an answer (asked in between). */
export function looksLikeQuestion(text: string): boolean {
  return QUESTION.test(text.trim());
}

function handleRepair(
  flow: FlowDefinition,
  state: FlowState,
  repair: Repair,
  context: StepContext,
  errorText: (code: string) => Texts | undefined,
): StepResult {
  const { language, profile } = context;
  switch (repair.kind) {
    case 'cancel':
      state.resume = state.phase === 'summary' ? 'summary' : 'asking';
      state.phase = 'confirm-cancel';
      return {
        state,
        replies: [
          {
            text: say(T.confirmCancel, language),
            choices: [
              { title: say(T.yesCancel, language), value: { flowAction: 'cancel-yes' } },
              { title: say(T.noContinue, language), value: { flowAction: 'cancel-no' } },
            ],
          },
        ],
        effects: [],
      };
    case 'cancel-yes':
      return {
        state: undefined,
        replies: [{ text: say(T.cancelled, language) }],
        effects: [{ kind: 'cancelled' }],
      };
    case 'cancel-no':
      state.phase = state.resume === 'summary' ? 'summary' : 'asking';
      delete state.resume;
      return { state, replies: [resumePrompt(flow, state, language, profile)], effects: [] };
    case 'handoff':
      return { state, replies: [], effects: [{ kind: 'handoff' }] };
    case 'skip': {
      const current = field(flow, state.current);
      if (!current || !current.optional)
        return {
          state,
          replies: [
            { text: say(T.cannotSkip, language) },
            ...(current ? [prompt(current, language, profile)] : []),
          ],
          effects: [],
        };
      state.asked.push(current.id);
      return advance(flow, state, language, profile, [{ text: say(T.skipped, language) }]);
    }
    case 'back': {
      const last = state.asked.pop();
      if (!last)
        return {
          state,
          replies: [
            { text: say(T.nothingToGoBack, language) },
            resumePrompt(flow, state, language, profile),
          ],
          effects: [],
        };
      delete state.answers[last];
      delete state.resume;
      state.phase = 'asking';
      state.current = last;
      return { state, replies: [prompt(field(flow, last)!, language, profile)], effects: [] };
    }
    case 'edit': {
      const f = field(flow, repair.fieldId);
      if (!f)
        return { state, replies: [resumePrompt(flow, state, language, profile)], effects: [] };
      state.resume = state.phase === 'summary' ? 'summary' : 'asking';
      delete state.answers[f.id];
      state.asked = state.asked.filter((id) => id !== f.id);
      state.phase = 'asking';
      state.current = f.id;
      return { state, replies: [prompt(f, language, profile)], effects: [] };
    }
    case 'correct': {
      const f = field(flow, repair.fieldId)!;
      const parsed = accept(flow, state, f, repair.text, undefined, context.now);
      if (!parsed.ok) return failure(flow, state, f, parsed.error, context, errorText);
      const replies = [{ text: say(T.corrected(f.label, parsed.display), language) }];
      if (state.phase === 'summary')
        return advance(flow, { ...state, resume: 'summary' }, language, profile, replies);
      if (state.current === f.id) return advance(flow, state, language, profile, replies);
      pruneInapplicable(flow, state);
      return {
        state,
        replies: [...replies, resumePrompt(flow, state, language, profile)],
        effects: [],
      };
    }
    case 'submit': {
      if (state.phase !== 'summary')
        return { state, replies: [resumePrompt(flow, state, language, profile)], effects: [] };
      const answers = values(state);
      return {
        state: undefined,
        replies: [],
        effects: [
          {
            kind: 'submit',
            flowId: flow.id,
            answers: { ...answers },
            payload: flow.toSubmission(answers, { now: context.now }),
            profileEntries: Object.fromEntries(
              flow.fields.flatMap((f) => {
                const a = state.answers[f.id];
                return f.profileKey && a && a.display ? [[f.profileKey, a.display]] : [];
              }),
            ),
          },
        ],
      };
    }
  }
}
