/**
 * Tells citizens what became of their application: outbox events (delivered to the office, the
 * office's own status callbacks, rejected, undeliverable) become proactive messages in the
 * conversation the application came from, on its own channel (see citizen-messenger.ts); channels
 * that cannot take proactive messages are logged.
 */
import type { ConversationReference } from 'botbuilder';
import type { OutboxStatusEvent } from '../flows/outbox/types.js';
import type { ChannelMessenger } from './citizen-messenger.js';

const TEXTS = {
  de: {
    delivered: (r: string) => `Ihr Antrag ${r} wurde an die zuständige Stelle übermittelt.`,
    received: (r: string) => `Die Behörde hat Ihren Antrag ${r} erhalten.`,
    'in-progress': (r: string) => `Ihr Antrag ${r} wird jetzt bearbeitet.`,
    completed: (r: string) => `Gute Nachricht: Ihr Antrag ${r} ist erledigt.`,
    rejected: (r: string) => `Ihr Antrag ${r} konnte leider nicht angenommen werden.`,
    dead: (r: string) =>
      `Ihr Antrag ${r} konnte bisher nicht übermittelt werden. Er ist sicher gespeichert; das Service-Team kümmert sich darum.`,
    note: 'Hinweis der Behörde',
  },
  en: {
    delivered: (r: string) => `Your application ${r} has been passed to the responsible office.`,
    received: (r: string) => `The authority has received your application ${r}.`,
    'in-progress': (r: string) => `Your application ${r} is now being processed.`,
    completed: (r: string) => `Good news: your application ${r} has been completed.`,
    rejected: (r: string) => `Unfortunately your application ${r} could not be accepted.`,
    dead: (r: string) =>
      `Your application ${r} could not be passed on yet. It is stored safely; the service team will take care of it.`,
    note: 'Note from the authority',
  },
} as const;

/** The message for an event, or undefined for events the citizen need not hear about. */
export function statusText(event: OutboxStatusEvent, language: 'de' | 'en'): string | undefined {
  const t = TEXTS[language];
  const receipt = event.record.receipt;
  switch (event.type) {
    case 'delivered':
      return t.delivered(receipt);
    case 'dead':
      return t.dead(receipt);
    case 'rejected':
      return `${t.rejected(receipt)}${event.reason ? `\n\n${t.note}: ${event.reason}` : ''}`;
    case 'backend-status': {
      const key = event.status as keyof typeof t;
      const base =
        key in t && typeof t[key] === 'function'
          ? (t[key] as (r: string) => string)(receipt)
          : undefined;
      return base && event.message ? `${base}\n\n${t.note}: ${event.message}` : base;
    }
    case 'retry-scheduled':
      return undefined;
  }
}

/** A status listener that sends the message into the submission's conversation. */
export function notifyCitizens(
  messenger: ChannelMessenger,
  log: { warn(o: object, m: string): void },
) {
  return async (event: OutboxStatusEvent): Promise<void> => {
    const conversation = event.record.conversation;
    const reference = conversation as Partial<ConversationReference> | undefined;
    if (!conversation || !reference?.conversation?.id) return;
    const language = reference.locale?.toLowerCase().startsWith('en') ? 'en' : 'de';
    const text = statusText(event, language);
    if (!text) return;
    const sent = await messenger.send(conversation, {
      type: 'message',
      text,
      textFormat: 'markdown',
    });
    if (!sent) {
      log.warn(
        { channel: reference.channelId, receipt: event.record.receipt },
        'no proactive messages on this channel yet',
      );
    }
  };
}
