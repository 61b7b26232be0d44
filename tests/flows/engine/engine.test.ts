import { describe, expect, it } from 'vitest';
import {
  resumePrompt,
  startFlow,
  stepFlow,
  type FlowState,
  type StepResult,
} from '../../../flows/engine/engine.js';
import { testFlow } from './test-flow.js';

const context = { language: 'de' as const, now: new Date('2026-11-28T10:00:00Z') };

/** Runs a sequence of inputs from the start and returns every step's result. */
function run(...inputs: (string | Record<string, unknown>)[]): StepResult[] {
  const results: StepResult[] = [startFlow(testFlow, context)];
  for (const input of inputs) {
    const state = results.at(-1)!.state as FlowState;
    results.push(
      stepFlow(
        testFlow,
        state,
        typeof input === 'string' ? { text: input } : { value: input },
        context,
      ),
    );
  }
  return results;
}

const last = (results: StepResult[]) => results.at(-1)!;
const lastText = (results: StepResult[]) => last(results).replies.at(-1)?.text ?? '';

describe('flow engine', () => {
  it('asks the fields in order and shows a summary with every answer', () => {
    const r = run('Erika Muster', 'Hauptstraße 5', 'nein', 'erika@example.org');
    expect(r[0]!.replies.at(-1)!.text).toBe('Wie heißen Sie?');
    expect(r[1]!.replies.at(-1)!.text).toBe('Ihre Straße?');
    expect(r[3]!.replies.at(-1)!.text).toBe('E-Mail (optional)?');
    expect(last(r).state?.phase).toBe('summary');
    expect(lastText(r)).toContain('**Name**: Erika Muster');
    expect(lastText(r)).toContain('**E-Mail**: erika@example.org');
    expect(lastText(r)).not.toContain('Kennzeichen');
  });

  it('asks a conditional field only when its condition holds', () => {
    const r = run('Erika Muster', 'Hauptstraße 5', 'ja');
    expect(lastText(r)).toBe('Ihr Kennzeichen?');
  });

  it('submits the validated answers as the flow’s payload and ends', () => {
    const r = run('Erika Muster', 'Hauptstraße 5', 'ja', 'M-AB 123', 'überspringen', {
      flowAction: 'submit',
    });
    expect(last(r).state).toBeUndefined();
    expect(last(r).effects).toEqual([
      {
        kind: 'submit',
        flowId: 'test',
        answers: { name: 'Erika Muster', street: 'Hauptstraße 5', hasCar: true, plate: 'M-AB 123' },
        payload: {
          applicant: 'Erika Muster',
          street: 'Hauptstraße 5',
          plate: 'M-AB 123',
          email: null,
        },
        profileEntries: {},
      },
    ]);
  });

  it('corrects an earlier answer in free text and continues where it was', () => {
    const r = run('Erika Muster', 'Hauptstraße 5', 'nein, die Straße ist Marienplatz 8');
    expect(last(r).state?.answers['street']?.value).toBe('Marienplatz 8');
    expect(last(r).replies[0]!.text).toBe('Geändert: Straße ist jetzt „Marienplatz 8“.');
    expect(lastText(r)).toContain('Haben Sie ein Auto?');
  });

  it('changes an answer chosen in the summary and returns to the summary', () => {
    const r = run(
      'Erika Muster',
      'Hauptstraße 5',
      'nein',
      'überspringen',
      { flowAction: 'edit', field: 'name' },
      'Max Muster',
    );
    expect(last(r).state?.phase).toBe('summary');
    expect(lastText(r)).toContain('**Name**: Max Muster');
  });

  it('drops answers that no longer apply after a correction', () => {
    const r = run(
      'Erika Muster',
      'Hauptstraße 5',
      'ja',
      'M-AB 123',
      'überspringen',
      { flowAction: 'edit', field: 'hasCar' },
      'nein',
    );
    expect(last(r).state?.answers['plate']).toBeUndefined();
    expect(lastText(r)).not.toContain('M-AB 123');
  });

  it('goes back to the previous question', () => {
    const r = run('Erika Muster', 'Hauptstraße 5', 'zurück');
    expect(lastText(r)).toBe('Ihre Straße?');
    expect(last(r).state?.answers['street']).toBeUndefined();
  });

  it('skips optional fields only', () => {
    const required = run('überspringen');
    expect(last(required).replies[0]!.text).toBe('Diese Angabe ist erforderlich.');
    const optional = run('Erika Muster', 'Hauptstraße 5', 'nein', 'überspringen');
    expect(last(optional).state?.phase).toBe('summary');
  });

  it('cancels only after confirmation, and continues when the user declines', () => {
    const asked = run('Erika Muster', 'abbrechen');
    expect(last(asked).state?.phase).toBe('confirm-cancel');
    const declined = run('Erika Muster', 'abbrechen', 'nein');
    expect(lastText(declined)).toContain('Ihre Straße?');
    const cancelled = run('Erika Muster', 'abbrechen', 'ja');
    expect(last(cancelled).state).toBeUndefined();
    expect(last(cancelled).effects).toEqual([{ kind: 'cancelled' }]);
  });

  it('hands a question asked in between to the bot and keeps the state', () => {
    const r = run('Erika Muster', 'Was kostet das eigentlich?');
    expect(last(r).effects).toEqual([{ kind: 'question', text: 'Was kostet das eigentlich?' }]);
    expect(last(r).state?.current).toBe('street');
    expect(resumePrompt(testFlow, last(r).state!, 'de').text).toBe(
      'Weiter mit Ihrem Antrag: Ihre Straße?',
    );
  });

  it('explains an invalid answer and, after three, offers a person or cancelling', () => {
    const once = run('x');
    expect(last(once).replies[0]!.text).toBe('Das habe ich nicht verstanden.');
    const thrice = run('x', 'y', 'z');
    const offer = last(thrice).replies.find((r) =>
      r.choices?.some((c) => c.value['flowAction'] === 'handoff'),
    );
    expect(offer).toBeDefined();
    expect(run('x', 'y', 'z', { flowAction: 'handoff' }).at(-1)!.effects).toEqual([
      { kind: 'handoff' },
    ]);
  });

  it('offers choices as buttons that answer the field', () => {
    const r = run('Erika Muster', 'Hauptstraße 5');
    const choices = last(r).replies.at(-1)!.choices!;
    expect(choices.map((c) => c.title)).toEqual(['Ja', 'Nein']);
    const next = stepFlow(testFlow, last(r).state!, { value: choices[0]!.value }, context);
    expect(next.state?.answers['hasCar']?.value).toBe(true);
  });

  it('speaks English when asked to', () => {
    const r = startFlow(testFlow, { ...context, language: 'en' });
    expect(r.replies.at(-1)!.text).toBe('Your name?');
  });

  it('never changes the state it is given', () => {
    const start = startFlow(testFlow, context).state!;
    const frozen = structuredClone(start);
    stepFlow(testFlow, start, { text: 'Erika Muster' }, context);
    expect(start).toEqual(frozen);
  });
});

describe('once only', () => {
  const withProfile = { ...context, profile: { email: 'erika@example.org' } };
  const profileFlow = {
    ...testFlow,
    fields: testFlow.fields.map((f) => (f.id === 'email' ? { ...f, profileKey: 'email' } : f)),
  };

  it('offers a saved entry with the prompt instead of filling it in, and takes it when chosen', () => {
    let r = startFlow(profileFlow, withProfile);
    for (const text of ['Erika Muster', 'Hauptstraße 5', 'nein']) {
      r = stepFlow(profileFlow, r.state!, { text }, withProfile);
    }
    const ask = r.replies.at(-1)!;
    expect(r.state?.answers['email']).toBeUndefined();
    expect(ask.text).toContain(
      'Aus Ihren gespeicherten Daten: E-Mail „erika@example.org“. Übernehmen?',
    );
    const use = ask.choices!.find((c) => c.title === 'Übernehmen')!;
    r = stepFlow(profileFlow, r.state!, { value: use.value }, withProfile);
    expect(r.state?.answers['email']?.value).toBe('erika@example.org');
    r = stepFlow(profileFlow, r.state!, { value: { flowAction: 'submit' } }, withProfile);
    expect(r.effects[0]).toMatchObject({
      kind: 'submit',
      profileEntries: { email: 'erika@example.org' },
    });
  });
});
