import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../flows/connectors/connector.js';
import {
  OPEN311_DESCRIPTION_LIMIT,
  Open311Connector,
  encodeOpen311Form,
} from '../../../flows/connectors/open311.js';
import type { OutboxSubmission } from '../../../flows/outbox/types.js';
import type { Open311Receiver } from './open311-receiver.js';
import { startOpen311Receiver } from './open311-receiver.js';
import { closedUrl } from './receivers.js';

const report: OutboxSubmission = {
  id: 'c5b0e1f8-0000-4000-8000-000000000002',
  receipt: 'LT-2026-7K3F-9Q2M',
  flow: 'maengelmelder',
  serviceId: '10115',
  idempotencyKey: 'idem-311',
  // As the Mängelmeldung flow's toSubmission produces it: GeoReport field names.
  payload: {
    service_code: 'strassenbeleuchtung',
    lat: 48.137154,
    long: 11.576124,
    address_string: 'Marienplatz 1, 80331 München',
    description: 'Straßenlaterne flackert\nseit Tagen',
    email: 'erika@example.org',
    first_name: 'Erika',
    last_name: 'Mustermann',
    media_url: 'https://example.org/foto.jpg',
    attributes: { WHISPAWN: '123456', SIDES: ['left', 'right'] },
    category_label: 'Straßenbeleuchtung',
  },
  createdAt: '2026-03-02T09:00:00.000Z',
  attempts: 1,
};

const receivers: Open311Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function endpoint(options: Partial<Parameters<typeof startOpen311Receiver>[0]> = {}) {
  const receiver = await startOpen311Receiver({
    apiKey: 'key-xyz',
    serviceCodes: ['001', 'streetlight'],
    ...options,
  });
  receivers.push(receiver);
  return receiver;
}

function connector(
  url: string,
  extra: Partial<ConstructorParameters<typeof Open311Connector>[0]> = {},
) {
  return new Open311Connector({
    endpoint: `${url}/dev/v2/`,
    apiKey: 'key-xyz',
    serviceCodes: { strassenbeleuchtung: 'streetlight' },
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('the Open311 GeoReport v2 connector', () => {
  it('posts a form-encoded service request and keeps the service_request_id', async () => {
    const receiver = await endpoint();
    expect(await connector(receiver.url).deliver(report)).toEqual({ reference: '293944' });
    expect(receiver.posts).toEqual([
      {
        path: '/dev/v2/requests.json',
        contentType: 'application/x-www-form-urlencoded; charset=utf-8',
        idempotencyKey: 'idem-311',
      },
    ]);
    const form = receiver.created[0]!;
    expect(Object.fromEntries(form)).toMatchObject({
      api_key: 'key-xyz',
      service_code: 'streetlight',
      lat: '48.137154',
      long: '11.576124',
      address_string: 'Marienplatz 1, 80331 München',
      description: 'Straßenlaterne flackert\nseit Tagen',
      email: 'erika@example.org',
      first_name: 'Erika',
      last_name: 'Mustermann',
      media_url: 'https://example.org/foto.jpg',
      'attribute[WHISPAWN]': '123456',
    });
    expect(form.getAll('attribute[SIDES][]')).toEqual(['left', 'right']);
    expect(form.has('jurisdiction_id')).toBe(false);
    expect(form.has('category_label')).toBe(false);
  });

  it('sends the jurisdiction_id when the endpoint serves several', async () => {
    const receiver = await endpoint({ jurisdictionId: 'muenchen.de' });
    await connector(receiver.url, { jurisdictionId: 'muenchen.de' }).deliver(report);
    expect(receiver.created[0]?.get('jurisdiction_id')).toBe('muenchen.de');
  });

  it('keeps a token as the reference when the endpoint answers with one', async () => {
    const receiver = await endpoint({ tokens: true });
    expect(await connector(receiver.url).deliver(report)).toEqual({
      reference: 'token:tok-293944',
    });
  });

  it('lets a re-delivery be recognised by its Idempotency-Key: one case, one id', async () => {
    const receiver = await endpoint();
    const first = await connector(receiver.url).deliver(report);
    const again = await connector(receiver.url).deliver({ ...report, attempts: 2 });
    expect(again).toEqual(first);
    expect(receiver.created).toHaveLength(1);
  });

  it('sends the key as an attribute only when the jurisdiction declares one', async () => {
    const receiver = await endpoint();
    await connector(receiver.url, { idempotencyAttribute: 'LOTSE_KEY' }).deliver(report);
    expect(receiver.created[0]?.get('attribute[LOTSE_KEY]')).toBe('idem-311');
    expect(receiver.created[0]?.get('attribute[WHISPAWN]')).toBe('123456');
  });

  it('refuses permanently, with the endpoint’s description, an unknown service_code', async () => {
    const receiver = await endpoint();
    const error = await failure(
      connector(receiver.url, { serviceCodes: { strassenbeleuchtung: '999' } }).deliver(report),
    );
    expect(error).toMatchObject({ kind: 'permanent', status: 404 });
    expect(error.message).toBe(
      'POST http://' +
        new URL(receiver.url).host +
        '/dev/v2/requests.json answered 404: 404 service_code 999 was not found',
    );
  });

  it('refuses permanently a 400 error list and a wrong api_key', async () => {
    const receiver = await endpoint();
    const { service_code: _, ...withoutCode } = report.payload;
    const noCode = { ...report, payload: withoutCode };
    expect(await failure(connector(receiver.url).deliver(noCode))).toMatchObject({
      kind: 'permanent',
      message: 'open311: no service_code for this submission',
    });
    await connector(receiver.url, { defaultServiceCode: '001' }).deliver(noCode);
    expect(receiver.created[0]?.get('service_code')).toBe('001');
    receiver.created.splice(0);
    const badRequest = await failure(
      connector(receiver.url, { toRequest: () => ({ service_code: '001' }) }).deliver(report),
    );
    expect(badRequest).toMatchObject({ kind: 'permanent', status: 400 });
    expect(badRequest.message).toContain('400 a location parameter is required');
    const wrongKey = await failure(connector(receiver.url, { apiKey: 'nope' }).deliver(report));
    expect(wrongKey).toMatchObject({ kind: 'permanent', status: 403 });
    expect(receiver.created).toEqual([]);
  });

  it('refuses before sending a report without any location', async () => {
    const receiver = await endpoint();
    const nowhere = { ...report, payload: { service_code: '001', description: 'irgendwo' } };
    const error = await failure(connector(receiver.url).deliver(nowhere));
    expect(error).toMatchObject({ kind: 'permanent' });
    expect(error.message).toContain('no location');
    expect(receiver.posts).toEqual([]);
  });

  it('retries a 503 (honouring Retry-After) and a refused connection', async () => {
    const receiver = await endpoint({
      outage: (i) => (i === 0 ? { status: 503, headers: { 'Retry-After': '30' } } : undefined),
    });
    const error = await failure(connector(receiver.url).deliver(report));
    expect(error).toMatchObject({ kind: 'transient', status: 503, retryAfterMs: 30_000 });
    expect(await connector(receiver.url).deliver(report)).toEqual({ reference: '293944' });
    const refused = await failure(connector(await closedUrl()).deliver(report));
    expect(refused.kind).toBe('transient');
  });

  it('cuts the description to the 4,000 characters the spec allows', async () => {
    const receiver = await endpoint();
    const long = { ...report, payload: { ...report.payload, description: 'x'.repeat(5000) } };
    await connector(receiver.url).deliver(long);
    expect(receiver.created[0]?.get('description')).toHaveLength(OPEN311_DESCRIPTION_LIMIT);
  });

  it('encodes multivalue attributes the way the spec shows', () => {
    const body = encodeOpen311Form(
      {
        service_code: '001',
        address_string: '1234 5th street',
        attributes: { CODE1: ['v1', 'v2'] },
      },
      'xyz',
      'city.gov',
    );
    expect(decodeURIComponent(body)).toBe(
      'api_key=xyz&jurisdiction_id=city.gov&service_code=001&address_string=1234+5th+street' +
        '&attribute[CODE1][]=v1&attribute[CODE1][]=v2',
    );
  });

  it('refuses an endpoint that is not a URL', () => {
    expect(() => new Open311Connector({ endpoint: 'not a url', apiKey: 'k' })).toThrow(
      /must be a URL/,
    );
  });
});
