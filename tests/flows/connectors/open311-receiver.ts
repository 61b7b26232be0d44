/**
 * A GeoReport v2 endpoint for tests, following the spec's POST Service Request section: a
 * form-encoded body, `api_key` required (403), `service_code` required (400) and known (404),
 * a location required (`lat`+`long`, `address_string` or `address_id`, else 400), `description`
 * at most 4,000 characters; the answer is `[{service_request_id, service_notice, account_id}]`
 * (or `[{token}]` in token mode), errors are `[{code, description}]`. Like a careful server it
 * answers a repeated `Idempotency-Key` with the request it created the first time. Not a test.
 */
import { send, startServer, type RunningServer } from './receivers.js';

export interface Open311Receiver extends RunningServer {
  /** The created requests, as parsed forms, in order. */
  created: URLSearchParams[];
  /** Every POST that reached the endpoint, accepted or not. */
  posts: { path: string; contentType: string | undefined; idempotencyKey: string | undefined }[];
}

export async function startOpen311Receiver(options: {
  apiKey: string;
  serviceCodes: readonly string[];
  jurisdictionId?: string;
  tokens?: boolean;
  /** Overrides the answer for the n-th POST (0-based), e.g. a 503. */
  outage?: (index: number) => { status: number; headers?: Record<string, string> } | undefined;
}): Promise<Open311Receiver> {
  const created: URLSearchParams[] = [];
  const posts: Open311Receiver['posts'] = [];
  const byKey = new Map<string, number>();
  const error = (code: number, description: string) => [{ code, description }];
  const server = await startServer((request, res) => {
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    posts.push({
      path: request.path,
      contentType: request.headers['content-type'],
      idempotencyKey,
    });
    const outage = options.outage?.(posts.length - 1);
    if (outage)
      return send(res, outage.status, error(outage.status, 'CRM is down'), outage.headers);
    if (request.method !== 'POST' || !request.path.endsWith('/requests.json')) {
      return send(res, 404, error(404, 'no such resource'));
    }
    const form = new URLSearchParams(request.body);
    if (form.get('api_key') !== options.apiKey) {
      return send(
        res,
        403,
        error(403, "Invalid api_key received -- can't proceed with create_request."),
      );
    }
    if (options.jurisdictionId && form.get('jurisdiction_id') !== options.jurisdictionId) {
      return send(res, 404, error(404, `jurisdiction_id ${form.get('jurisdiction_id')} not found`));
    }
    const code = form.get('service_code');
    if (!code) return send(res, 400, error(400, 'service_code was not provided'));
    if (!options.serviceCodes.includes(code)) {
      return send(res, 404, error(404, `service_code ${code} was not found`));
    }
    const located =
      (form.get('lat') && form.get('long')) || form.get('address_string') || form.get('address_id');
    if (!located) return send(res, 400, error(400, 'a location parameter is required'));
    if ((form.get('description') ?? '').length > 4000) {
      return send(res, 400, error(400, 'description longer than 4000 characters'));
    }
    const known = idempotencyKey ? byKey.get(idempotencyKey) : undefined;
    const id = known ?? 293_944 + created.length;
    if (known === undefined) {
      created.push(form);
      if (idempotencyKey) byKey.set(idempotencyKey, id);
    }
    send(
      res,
      200,
      options.tokens
        ? [{ token: `tok-${id}` }]
        : [{ service_request_id: id, service_notice: 'Wird geprüft.', account_id: null }],
    );
  });
  return { ...server, created, posts };
}
