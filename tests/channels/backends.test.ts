import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConnectors, readBackends, smtpOptions } from '../../channels/backends.js';
import { ConfigError } from '../../channels/config.js';
import { EmailConnector } from '../../flows/connectors/email.js';
import { Open311Connector } from '../../flows/connectors/open311.js';
import { SignedWebhookConnector } from '../../flows/connectors/signed-webhook.js';
import { tempDir } from '../knowledge/fixtures.js';

function file(json: unknown): string {
  const path = join(tempDir(), 'backends.json');
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

describe('backends file', () => {
  it('builds one connector per flow of the configured kind', () => {
    const backends = readBackends(
      file({
        maengelmeldung: { type: 'open311', endpoint: 'https://311.example/v2', apiKey: 'k' },
        bewohnerparkausweis: {
          type: 'webhook',
          url: 'https://in.example/hook',
          secret: 'a-secret-of-16-chars',
        },
        wohnsitzanmeldung: {
          type: 'email',
          smtpUrl: 'smtp://lotse:pw@mail.example:2525',
          from: 'lotse@stadt.example',
          to: 'bb@stadt.example',
        },
      }),
    );
    const connectors = createConnectors(backends);
    expect(connectors['maengelmeldung']).toBeInstanceOf(Open311Connector);
    expect(connectors['bewohnerparkausweis']).toBeInstanceOf(SignedWebhookConnector);
    expect(connectors['wohnsitzanmeldung']).toBeInstanceOf(EmailConnector);
  });

  it('has no backends when no file is configured', () => {
    expect(readBackends(undefined)).toEqual({});
  });

  it('names the file and the field of a mistake', () => {
    const bad = file({
      kindergeld: { type: 'webhook', url: 'ftp://x', secret: 'a-secret-of-16-chars' },
    });
    expect(() => readBackends(bad)).toThrow(ConfigError);
    expect(() => readBackends(bad)).toThrow(/backends\.json: field "kindergeld\.url"/);
    expect(() => readBackends(file('{ nope'))).toThrow(/cannot read .* as JSON/);
  });

  it('reads SMTP settings from a URL', () => {
    expect(smtpOptions('smtps://a%40b:p%3Aw@mail.example')).toEqual({
      host: 'mail.example',
      port: 465,
      secure: true,
      auth: { user: 'a@b', pass: 'p:w' },
    });
    expect(smtpOptions('smtp://mail.example:2525')).toEqual({
      host: 'mail.example',
      port: 2525,
      secure: false,
    });
  });
});
