/**
 * What the messenger tests' small bots offer: a yes/no choice as the real bot offers choices
 * (`messageBack` with a value), so each test checks how its channel shows and returns one.
 */
import { ActionTypes, type Activity } from 'botbuilder';

/** A message offering "Ja" and "Nein", whose values are `{ answer: 'ja' | 'nein' }`. */
export function yesNoQuestion(text: string): Partial<Activity> {
  return {
    type: 'message',
    text,
    suggestedActions: {
      to: [],
      actions: ['Ja', 'Nein'].map((title) => ({
        type: ActionTypes.MessageBack,
        title,
        text: title,
        displayText: title,
        value: { answer: title.toLowerCase() },
      })),
    },
  };
}
