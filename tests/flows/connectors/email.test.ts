import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../flows/connectors/connector.js';
import { EmailConnector, messageIdFor } from '../../../flows/connectors/email.js';
import type { OutboxSubmission } from '../../../flows/outbox/types.js';
import type { SmtpReceiver } from './smtp-receiver.js';
import { header, parts, startSmtpReceiver } from './smtp-receiver.js';

const application: OutboxSubmission = {
  id: 'c5b0e1f8-0000-4000-8000-000000000003',
  receipt: 'LT-2026-7K3F-9Q2M',
  flow: 'anwohnerparken',
  serviceId: '10224',
  idempotencyKey: '6f1c2a9e-3d4b-4c5d-8e7f-0a1b2c3d4e5f',
  payload: {
    name: 'Erika Mustermann',
    street: 'Hauptstraße 5',
    plate: 'M-AB 1234',
    vehicles: ['Pkw', 'Motorrad'],
    sepa: true,
  },
  createdAt: '2026-03-02T09:00:00.000Z',
  attempts: 1,
};

const peers: SmtpReceiver[] = [];
const connectors: EmailConnector[] = [];
afterEach(async () => {
  connectors.splice(0).forEach((c) => c.close());
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

async function peer(refuse?: Parameters<typeof startSmtpReceiver>[0]) {
  const receiver = await startSmtpReceiver(refuse);
  peers.push(receiver);
  return receiver;
}

function connector(port: number) {
  const email = new EmailConnector({
    transport: { host: '127.0.0.1', port, secure: false, ignoreTLS: true },
    from: '"Lotse" <lotse@stadt.example>',
    to: 'kfz@stadt.example',
    toByFlow: { anwohnerparken: ['parken@stadt.example', 'akte@stadt.example'] },
    labels: { street: 'Straße', plate: 'Kennzeichen' },
  });
  connectors.push(email);
  return email;
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('the e-mail connector', () => {
  it('mails the office a readable text and the payload as JSON attachment', async () => {
    const smtp = await peer();
    const result = await connector(smtp.port).deliver(application);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe('lotse@stadt.example');
    expect(mail.to).toEqual(['parken@stadt.example', 'akte@stadt.example']);
    expect(header(mail.raw, 'Subject')).toBe(
      'Antrag anwohnerparken – Vorgangsnummer LT-2026-7K3F-9Q2M',
    );
    expect(header(mail.raw, 'X-Lotse-Receipt')).toBe('LT-2026-7K3F-9Q2M');
    const [text, attachment] = parts(mail.raw);
    expect(text).toMatchObject({ type: 'text/plain' });
    expect(text?.content).toContain(
      'Vorgangsnummer: LT-2026-7K3F-9Q2M\nVerfahren: anwohnerparken\nLeistung: 10224',
    );
    expect(text?.content).toContain(
      'Angaben:\n  name: Erika Mustermann\n  Straße: Hauptstraße 5\n  Kennzeichen: M-AB 1234\n  vehicles: Pkw, Motorrad\n  sepa: ja\n',
    );
    expect(attachment).toMatchObject({
      type: 'application/json',
      filename: 'antrag-LT-2026-7K3F-9Q2M.json',
    });
    expect(JSON.parse(attachment!.content)).toEqual(application.payload);
    expect(result).toEqual({ reference: header(mail.raw, 'Message-ID') });
  });

  it('gives a re-delivery the same Message-ID, derived from the idempotency key', async () => {
    const smtp = await peer();
    await connector(smtp.port).deliver(application);
    await connector(smtp.port).deliver({ ...application, attempts: 2 });
    const ids = smtp.mails.map((mail) => header(mail.raw, 'Message-ID'));
    expect(ids).toEqual([
      '<6f1c2a9e-3d4b-4c5d-8e7f-0a1b2c3d4e5f.lotse@stadt.example>',
      '<6f1c2a9e-3d4b-4c5d-8e7f-0a1b2c3d4e5f.lotse@stadt.example>',
    ]);
    expect(messageIdFor('a key with spaces', 'x.example')).toMatch(
      /^<[0-9a-f]{64}\.lotse@x\.example>$/,
    );
    expect(messageIdFor('a key with spaces', 'x.example')).toBe(
      messageIdFor('a key with spaces', 'x.example'),
    );
  });

  it('treats a refused recipient (550) as a permanent refusal', async () => {
    const smtp = await peer({ rcpt: () => 550 });
    const error = await failure(connector(smtp.port).deliver(application));
    expect(error).toMatchObject({ kind: 'permanent', status: 550 });
    expect(error.message).toContain('550');
    expect(smtp.mails).toEqual([]);
  });

  it('treats a temporary refusal (451) as transient', async () => {
    const smtp = await peer({ data: () => 451 });
    const error = await failure(connector(smtp.port).deliver(application));
    expect(error).toMatchObject({ kind: 'transient', status: 451 });
  });

  it('treats an unreachable mail server as transient', async () => {
    const smtp = await peer();
    await smtp.close();
    peers.splice(0);
    const error = await failure(connector(smtp.port).deliver(application));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/ECONNECTION|ECONNREFUSED/);
  });

  it('refuses a sender that is not an address', () => {
    expect(
      () =>
        new EmailConnector({ transport: { host: 'localhost' }, from: 'Lotse', to: 'x@y.example' }),
    ).toThrow(/sender must be an address/);
  });
});
