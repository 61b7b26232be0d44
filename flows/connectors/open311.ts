/**
 * Delivers defect reports ("Mängelmelder") to an Open311 GeoReport v2 endpoint, the interface
 * many German cities' reporting systems speak (Klarschiff, Mark-a-Spot, …):
 * `POST {endpoint}/requests.json`, form-encoded, with `api_key`, `jurisdiction_id?`,
 * `service_code`, a location (`lat`+`long`, `address_string` or `address_id`), `description`,
 * `media_url?`, `email?`, `first_name?`, `last_name?`, `phone?` and `attribute[code]=value`.
 *
 * Answer: `[{ "service_request_id": … }]` (kept as the reference) or `[{ "token": … }]` (kept as
 * `token:<token>`; the request id can be fetched later via GET tokens/<token>). Errors come as
 * `[{ "code": …, "description": … }]`; their descriptions become the dead-letter reason.
 *
 * Idempotency: GeoReport v2 has no idempotency key. Every request carries an `Idempotency-Key`
 * header, which servers that know it use and the others ignore, harmlessly. We do *not* add it
 * as an `attribute[…]` by default: attributes are validated against the service definition, and
 * a strict server would refuse an attribute its definition does not declare (a 400, so every
 * submission would be dead-lettered). A jurisdiction that defines such an attribute names its
 * code in `idempotencyAttribute`. Note that the spec also uses 400 for "General Service Error
 * (eg CRM is down)"; we treat every 400 as a refusal (dead-lettered, never dropped, and
 * re-queueable), since retrying a refused report for a day is worse than a visible dead letter.
 */
import { z } from 'zod';
import { OutboxError } from '../outbox/errors.js';
import type { OutboxSubmission } from '../outbox/types.js';
import type { Connector, DeliveryResult } from './connector.js';
import { DeliveryError } from './connector.js';
import { DEFAULT_TIMEOUT_MS, excerpt, post, statusError } from './http.js';

/** The GeoReport v2 fields of one service request. */
export interface Open311Request {
  service_code: string;
  lat?: number | string;
  long?: number | string;
  address_string?: string;
  address_id?: string;
  description?: string;
  media_url?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  device_id?: string;
  account_id?: string;
  /** `attribute[code]=value`; an array sends a multivaluelist (`attribute[code][]=…`). */
  attributes?: Record<string, string | readonly string[]>;
}

export interface Open311Options {
  /** The API base, e.g. `https://api.city.gov/dev/v2` (without `/requests.json`). */
  endpoint: string;
  apiKey: string;
  /** Needed only when the endpoint serves several jurisdictions, e.g. `muenchen.de`. */
  jurisdictionId?: string;
  /**
   * Translates the payload's `service_code` (Lotse's own category, e.g. `strassenbeleuchtung`)
   * to this endpoint's code. Codes not listed are sent as they are. Default: none.
   */
  serviceCodes?: Readonly<Record<string, string>>;
  /** The code for payloads without `service_code`. Default: none (such a payload is refused). */
  defaultServiceCode?: string;
  /** Maps a submission to the request; default `defaultOpen311Request` (see there). */
  toRequest?: (submission: OutboxSubmission) => Open311Request;
  /** An attribute code declared by the jurisdiction to carry the idempotency key, if any. */
  idempotencyAttribute?: string;
  /** How long the endpoint has to answer, in ms; default 30 000. */
  timeoutMs?: number;
  now?: () => Date;
}

/** GeoReport v2 limits `description` to 4,000 characters. */
export const OPEN311_DESCRIPTION_LIMIT = 4000;

const text = z.string().trim().min(1);
const coordinate = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
/** The payload the default mapping reads: GeoReport's own field names, as flows produce them. */
const payloadSchema = z.object({
  service_code: text.optional(),
  lat: coordinate.optional(),
  long: coordinate.optional(),
  address_string: text.optional(),
  address_id: text.optional(),
  description: z.string().optional(),
  media_url: text.optional(),
  email: text.optional(),
  first_name: text.optional(),
  last_name: text.optional(),
  phone: text.optional(),
  device_id: text.optional(),
  account_id: text.optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
});

/**
 * The default mapping: a payload already in GeoReport terms (`service_code`, `lat`+`long`,
 * `address_string`, `address_id`, `description`, `media_url`, `email`, `first_name`,
 * `last_name`, `phone`, `device_id`, `account_id`, plus `attributes` as an object), as the
 * Mängelmeldung flow's `toSubmission` produces it. Other keys are ignored. A payload that cannot
 * make a valid request (no service code, no location) is refused permanently: no retry would fix
 * it. `description` is cut to the spec's 4,000 characters (the full text stays in the outbox).
 */
export function defaultOpen311Request(
  submission: OutboxSubmission,
  codes: Pick<Open311Options, 'serviceCodes' | 'defaultServiceCode'> = {},
): Open311Request {
  const parsed = payloadSchema.safeParse(submission.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeliveryError(
      'permanent',
      `open311: payload field "${issue?.path.join('.') ?? ''}" is invalid: ${issue?.message ?? ''}`,
    );
  }
  const { service_code, description, ...fields } = parsed.data;
  const own = service_code ?? codes.defaultServiceCode;
  if (!own) throw new DeliveryError('permanent', 'open311: no service_code for this submission');
  const hasPoint = fields.lat !== undefined && fields.long !== undefined;
  if (!hasPoint && !fields.address_string && !fields.address_id) {
    throw new DeliveryError(
      'permanent',
      'open311: the submission has no location (lat/long, address_string or address_id)',
    );
  }
  if (!hasPoint) {
    delete fields.lat;
    delete fields.long;
  }
  return {
    service_code: codes.serviceCodes?.[own] ?? own,
    ...fields,
    ...(description ? { description: description.slice(0, OPEN311_DESCRIPTION_LIMIT) } : {}),
  };
}

/** The form body of a request, in the spec's field order. */
export function encodeOpen311Form(
  request: Open311Request,
  apiKey: string,
  jurisdictionId?: string,
): string {
  const form = new URLSearchParams();
  form.append('api_key', apiKey);
  if (jurisdictionId) form.append('jurisdiction_id', jurisdictionId);
  const { attributes, ...fields } = request;
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== '') form.append(name, String(value));
  }
  for (const [code, value] of Object.entries(attributes ?? {})) {
    if (typeof value === 'string') form.append(`attribute[${code}]`, value);
    else for (const item of value) form.append(`attribute[${code}][]`, item);
  }
  return form.toString();
}

const answerItem = z.object({
  service_request_id: z.union([z.string(), z.number()]).nullish(),
  token: z.union([z.string(), z.number()]).nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
  description: z.string().nullish(),
});
const answerList = z.array(answerItem);

export class Open311Connector implements Connector {
  private readonly url: string;
  private readonly now: () => Date;

  constructor(private readonly options: Open311Options) {
    let url: URL;
    try {
      url = new URL(`${options.endpoint.replace(/\/+$/, '')}/requests.json`);
    } catch (cause) {
      throw new OutboxError(
        'LOTSE_OUTBOX_INVALID_CONFIG',
        `outbox: open311 endpoint must be a URL, got ${JSON.stringify(options.endpoint)}`,
        { cause },
      );
    }
    this.url = url.toString();
    this.now = options.now ?? (() => new Date());
  }

  async deliver(submission: OutboxSubmission): Promise<DeliveryResult> {
    const {
      apiKey,
      jurisdictionId,
      idempotencyAttribute,
      timeoutMs = DEFAULT_TIMEOUT_MS,
    } = this.options;
    const request = this.options.toRequest
      ? { ...this.options.toRequest(submission) }
      : defaultOpen311Request(submission, this.options);
    if (idempotencyAttribute) {
      request.attributes = {
        ...request.attributes,
        [idempotencyAttribute]: submission.idempotencyKey,
      };
    }
    const answer = await post(
      this.url,
      encodeOpen311Form(request, apiKey, jurisdictionId),
      {
        'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        Accept: 'application/json',
        'Idempotency-Key': submission.idempotencyKey,
      },
      timeoutMs,
    );
    const items = parseAnswer(answer.body);
    if (answer.status < 200 || answer.status >= 300) {
      throw statusError(this.url, answer, errorDetail(items) ?? excerpt(answer.body), this.now());
    }
    const created = items?.find((item) => item.service_request_id != null || item.token != null);
    if (created?.service_request_id != null)
      return { reference: String(created.service_request_id) };
    if (created?.token != null) return { reference: `token:${created.token}` };
    const detail = errorDetail(items);
    if (detail)
      throw new DeliveryError('permanent', `open311 answered ${answer.status}: ${detail}`);
    // A 2xx without an id: the request was taken; there is just nothing to refer to.
    return {};
  }
}

function parseAnswer(body: string): z.infer<typeof answerList> | undefined {
  try {
    const parsed = answerList.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** `"400 service_code 999 not found; …"` from an Open311 error list, if it is one. */
function errorDetail(items: z.infer<typeof answerList> | undefined): string | undefined {
  const errors = (items ?? []).filter((item) => item.description);
  if (errors.length === 0) return undefined;
  return errors.map((item) => `${item.code ?? ''} ${item.description}`.trim()).join('; ');
}
