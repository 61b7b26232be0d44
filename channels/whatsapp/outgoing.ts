/**
 * The bodies of `POST /{phone-number-id}/messages`, as the Cloud API documents them, and the
 * limits Graph enforces on them. Titles that would exceed a limit are shortened here, so a
 * rendering slip costs an ellipsis instead of a refused message.
 */
import type { RenderedChoice } from '../messaging/types.js';

/** What Graph accepts (Cloud API "Messages" reference). */
export const WHATSAPP_LIMITS = {
  text: 4096,
  /** Body of a reply-button or list message. */
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  rowTitle: 24,
  rowId: 200,
  /** The label of the button that opens a list. */
  listButton: 20,
} as const;

/** The fields every message body shares. */
interface Envelope {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
}

export type GraphMessage = Envelope &
  (
    | { type: 'text'; text: { body: string; preview_url: boolean } }
    | { type: 'interactive'; interactive: ButtonInteractive | ListInteractive }
    | { type: 'template'; template: { name: string; language: { code: string } } }
  );

interface ButtonInteractive {
  type: 'button';
  body: { text: string };
  action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
}

interface ListInteractive {
  type: 'list';
  body: { text: string };
  action: { button: string; sections: { rows: { id: string; title: string }[] }[] };
}

/** A message template approved in WhatsApp Manager (`name`, language code like `de`). */
export interface WhatsAppTemplate {
  name: string;
  language: string;
}

const envelope = (to: string): Envelope => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
});

/** Shortens to `max` characters (code points), ending in an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A text message; link previews stay off so that a service link does not bury the answer. */
export function textMessage(to: string, body: string): GraphMessage {
  return { ...envelope(to), type: 'text', text: { body, preview_url: false } };
}

/** Up to three reply buttons; the button id carries the choice token back. */
export function buttonMessage(to: string, body: string, choices: RenderedChoice[]): GraphMessage {
  return {
    ...envelope(to),
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: body },
      action: {
        buttons: choices.slice(0, WHATSAPP_LIMITS.buttons).map((c) => ({
          type: 'reply',
          reply: {
            id: c.token.slice(0, WHATSAPP_LIMITS.buttonId),
            title: clip(c.title, WHATSAPP_LIMITS.buttonTitle),
          },
        })),
      },
    },
  };
}

/** A list of up to ten rows in one section; the row id carries the choice token back. */
export function listMessage(
  to: string,
  body: string,
  button: string,
  choices: RenderedChoice[],
): GraphMessage {
  return {
    ...envelope(to),
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: body },
      action: {
        button: clip(button, WHATSAPP_LIMITS.listButton),
        sections: [
          {
            rows: choices.slice(0, WHATSAPP_LIMITS.listRows).map((c) => ({
              id: c.token.slice(0, WHATSAPP_LIMITS.rowId),
              title: clip(c.title, WHATSAPP_LIMITS.rowTitle),
            })),
          },
        ],
      },
    },
  };
}

/** A template message: the only kind WhatsApp delivers outside the 24-hour window. */
export function templateMessage(to: string, template: WhatsAppTemplate): GraphMessage {
  return {
    ...envelope(to),
    type: 'template',
    template: { name: template.name, language: { code: template.language } },
  };
}
