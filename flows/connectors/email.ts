/**
 * The connector of last resort, and the one every office can take: an e-mail to the responsible
 * office over SMTP (nodemailer), with the fields as readable text and the exact payload as a JSON
 * attachment for whoever automates the intake later.
 *
 * The Message-ID is derived from the idempotency key, so a re-delivery after a lost answer is the
 * same message to the receiving side (mail systems and ticket tools de-duplicate on it), and the
 * `X-Lotse-Receipt` / `X-Lotse-Idempotency-Key` headers make it recognisable to scripts.
 *
 * SMTP replies are classified like HTTP statuses: 5xx refuses (dead-lettered with the server's
 * reply), 4xx and connection failures are transient. Authentication failures are transient too:
 * they are a configuration problem the operator fixes, not a refusal of the citizen's data.
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { OutboxError } from '../outbox/errors.js';
import type { OutboxSubmission } from '../outbox/types.js';
import type { Connector, DeliveryResult } from './connector.js';
import { DeliveryError } from './connector.js';

/** The texts of the e-mail, German: it goes to a German office. */
const TEXTS = {
  subject: (s: OutboxSubmission) => `Antrag ${s.flow} – Vorgangsnummer ${s.receipt}`,
  intro: 'Über den Lotsen ist ein Antrag eingegangen.',
  receipt: 'Vorgangsnummer',
  flow: 'Verfahren',
  service: 'Leistung',
  received: 'Eingegangen',
  fields: 'Angaben',
  empty: '(keine)',
  attachment: (name: string) => `Die Angaben liegen zusätzlich als JSON bei (${name}).`,
  redelivery:
    'Wird dieser Antrag erneut zugestellt, trägt die Nachricht dieselbe Message-ID und Vorgangsnummer.',
};

export interface EmailOptions {
  /** A nodemailer transporter, or SMTP options to create one (`{ host, port, secure, auth }`). */
  transport: Transporter | SMTPTransport.Options;
  /** The sender, e.g. `"Lotse" <lotse@stadt.example>`; its domain names the Message-IDs. */
  from: string;
  /** The responsible office's address(es). */
  to: string | readonly string[];
  /** Other addresses per flow, for flows that go to another office. */
  toByFlow?: Readonly<Record<string, string | readonly string[]>>;
  /** Human labels of payload fields for the text body (`{ street: 'Straße' }`). */
  labels?: Readonly<Record<string, string>>;
  /** The subject; default `Antrag <flow> – Vorgangsnummer <receipt>`. */
  subject?: (submission: OutboxSubmission) => string;
}

/** SMTP socket timeouts when we create the transport: well below the dispatcher's lease. */
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

/** Connection-level failures of nodemailer that say nothing about the message. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EAUTH', 'ETLS']);

export class EmailConnector implements Connector {
  private readonly transporter: Transporter;
  private readonly domain: string;

  constructor(private readonly options: EmailOptions) {
    const domain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1];
    if (!domain) {
      throw new OutboxError(
        'LOTSE_OUTBOX_INVALID_CONFIG',
        `outbox: e-mail sender must be an address, got ${JSON.stringify(options.from)}`,
      );
    }
    this.domain = domain;
    this.transporter = isTransporter(options.transport)
      ? options.transport
      : nodemailer.createTransport({ ...SMTP_TIMEOUTS, ...options.transport });
  }

  async deliver(submission: OutboxSubmission): Promise<DeliveryResult> {
    const attachmentName = `antrag-${submission.receipt}.json`;
    const to = this.options.toByFlow?.[submission.flow] ?? this.options.to;
    try {
      const info = (await this.transporter.sendMail({
        from: this.options.from,
        to: typeof to === 'string' ? to : [...to],
        subject: (this.options.subject ?? TEXTS.subject)(submission),
        messageId: messageIdFor(submission.idempotencyKey, this.domain),
        headers: {
          'X-Lotse-Receipt': submission.receipt,
          'X-Lotse-Idempotency-Key': submission.idempotencyKey,
        },
        text: emailBody(submission, this.options.labels ?? {}, attachmentName),
        attachments: [
          {
            filename: attachmentName,
            contentType: 'application/json; charset=utf-8',
            content: JSON.stringify(submission.payload, null, 2),
          },
        ],
      })) as { messageId?: string };
      return info.messageId ? { reference: info.messageId } : {};
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  /** Closes pooled SMTP connections (a no-op for the default, unpooled transport). */
  close(): void {
    this.transporter.close();
  }
}

/**
 * `<key.lotse@domain>` for keys that are valid in a Message-ID; other keys are hashed, so the
 * same key always yields the same id.
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const local = /^[A-Za-z0-9._-]{1,128}$/.test(idempotencyKey)
    ? idempotencyKey
    : createHash('sha256').update(idempotencyKey).digest('hex');
  return `<${local}.lotse@${domain}>`;
}

/** The plain-text body: the case's identity, then one line per field. */
export function emailBody(
  submission: OutboxSubmission,
  labels: Readonly<Record<string, string>>,
  attachmentName: string,
): string {
  const entries = Object.entries(submission.payload);
  const fields = entries.length
    ? entries.map(([key, value]) => `  ${labels[key] ?? key}: ${showValue(value)}`)
    : [`  ${TEXTS.empty}`];
  return [
    TEXTS.intro,
    '',
    `${TEXTS.receipt}: ${submission.receipt}`,
    `${TEXTS.flow}: ${submission.flow}`,
    ...(submission.serviceId ? [`${TEXTS.service}: ${submission.serviceId}`] : []),
    `${TEXTS.received}: ${submission.createdAt}`,
    '',
    `${TEXTS.fields}:`,
    ...fields,
    '',
    TEXTS.attachment(attachmentName),
    TEXTS.redelivery,
    '',
  ].join('\n');
}

function showValue(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'ja' : 'nein';
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    return value.map((v) => showValue(v)).join(', ');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\r?\n/g, '\n    ');
}

/** Maps nodemailer's error to a `DeliveryError` (see the module comment for the rules). */
export function classifySmtpError(error: unknown): DeliveryError {
  const err = error as Error & { code?: string; responseCode?: number; response?: string };
  const detail = (err.response ?? err.message).replace(/\s+/g, ' ').trim();
  const status = err.responseCode;
  const message = `SMTP ${status ?? err.code ?? 'error'}: ${detail}`;
  if (err.code && TRANSIENT_CODES.has(err.code)) {
    return new DeliveryError('transient', message, { cause: error, status });
  }
  if (status !== undefined && status >= 500) {
    return new DeliveryError('permanent', message, { cause: error, status });
  }
  if (status === undefined && (err.code === 'EENVELOPE' || err.code === 'EMESSAGE')) {
    return new DeliveryError('permanent', message, { cause: error });
  }
  return new DeliveryError('transient', message, { cause: error, status });
}

function isTransporter(value: EmailOptions['transport']): value is Transporter {
  return typeof (value as Transporter).sendMail === 'function';
}
