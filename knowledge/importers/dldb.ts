/**
 * Imports a DLDB export (services file + locations file) into canonical `Service` records.
 * One bad record never aborts an import: it is reported as an `ImportProblem` and skipped, and a
 * bad value inside a good record (a broken link, say) is dropped and reported.
 */
import { convertHtml, httpUrl } from '../html.js';
import { ServiceSchema, type Link, type ListItem, type Location, type Service } from '../schema.js';
import {
  DldbEnvelopeSchema,
  DldbLocationSchema,
  DldbServiceSchema,
  type DldbLocation,
  type DldbService,
} from './dldb-format.js';
import { problemsFromZod, rawRecordId, type ImportProblem } from './problem.js';
import { isCitizenFacing } from '../visibility.js';
import { extractLists } from './sections.js';

/** Attribution carried into every imported record. */
export interface SourceInfo {
  publisher: string;
  licence: string;
}

export interface DldbInput {
  services: { file: string; json: unknown };
  locations?: { file: string; json: unknown };
  source: SourceInfo;
}

export interface ImportResult {
  services: Service[];
  problems: ImportProblem[];
}

function records(file: string, json: unknown, problems: ImportProblem[]): unknown[] {
  const envelope = DldbEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    problems.push({
      file,
      record: '(file)',
      field: 'data',
      reason: 'expected a DLDB export: an object with a "data" array, or an array of records',
      action: 'skipped',
    });
    return [];
  }
  return envelope.data.data;
}

function fillTemplate(url: string | undefined, serviceId: string): string | undefined {
  return url?.replaceAll('{serviceId}', encodeURIComponent(serviceId));
}

class DldbMapper {
  constructor(
    private readonly file: string,
    private readonly problems: ImportProblem[],
    private readonly locations: Map<string, DldbLocation>,
    private readonly source: SourceInfo,
  ) {}

  private links(recordId: string, field: string, raw: DldbService['links']): Link[] {
    const out: Link[] = [];
    raw.forEach((l, i) => {
      if (out.some((o) => o.url === httpUrl(l.link))) return;
      const url = httpUrl(l.link);
      if (!url) {
        this.problems.push({
          file: this.file,
          record: recordId,
          field: `${field}.${i}.link`,
          reason: `not an http(s) URL: ${JSON.stringify(l.link)}`,
          action: 'dropped-field',
        });
        return;
      }
      out.push({ title: l.name.trim() || url, url });
    });
    return out;
  }

  private items(recordId: string, field: string, raw: DldbService['requirements']): ListItem[] {
    return raw.flatMap((r, i) => {
      const text = convertHtml(r.name).text;
      if (!text) return [];
      const detail = typeof r.description === 'string' ? convertHtml(r.description).text : '';
      const url = this.optionalUrl(recordId, `${field}.${i}.link`, r.link);
      return [{ text, ...(detail ? { detail } : {}), ...(url ? { url } : {}) }];
    });
  }

  /** A URL the source may leave empty; a present but unusable one is dropped and reported. */
  private optionalUrl(
    recordId: string,
    field: string,
    raw: string | undefined,
  ): string | undefined {
    if (!raw?.trim()) return undefined;
    const url = httpUrl(raw);
    if (!url) {
      this.problems.push({
        file: this.file,
        record: recordId,
        field,
        reason: `not an http(s) URL: ${JSON.stringify(raw)}`,
        action: 'dropped-field',
      });
    }
    return url;
  }

  private location(serviceId: string, ref: DldbService['locations'][number]): Location | undefined {
    const loc = this.locations.get(ref.location);
    if (!loc) return undefined;
    const perService = loc.services.find((s) => s.service === serviceId);
    const address = loc.address;
    const appointmentUrl = httpUrl(ref.appointment?.link ?? perService?.appointment?.link);
    return {
      id: loc.id,
      name: loc.displayName?.trim() || loc.name,
      ...(loc.organization ? { organisation: loc.organization } : {}),
      ...(loc.organizationUnit ? { unit: loc.organizationUnit } : {}),
      ...(address && (address.street || address.city)
        ? {
            address: {
              street: address.street,
              houseNumber: address.house_number,
              postalCode: address.postal_code,
              city: address.city,
            },
          }
        : {}),
      ...(loc.geo ? { geo: { lat: loc.geo.lat, lon: loc.geo.lon } } : {}),
      ...(loc.contact?.phone ? { phone: loc.contact.phone } : {}),
      ...(loc.contact?.email ? { email: loc.contact.email } : {}),
      ...(httpUrl(loc.contact?.webinfo) ? { website: httpUrl(loc.contact?.webinfo) } : {}),
      ...(appointmentUrl ? { appointmentUrl } : {}),
    };
  }

  map(s: DldbService): Service {
    const description = convertHtml(s.description);
    const fees = convertHtml(s.fees);
    const keywords = (s.meta?.keywords ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    const links = this.links(s.id, 'links', s.links);
    const forms = this.links(s.id, 'forms', s.forms);
    const appointmentUrl = this.optionalUrl(
      s.id,
      'appointment.link',
      fillTemplate(s.appointment?.link, s.id),
    );
    const extracted = extractLists(description.sections);
    const authority = s.authorities[0];
    const leika = s.leika?.trim();
    const draft = {
      id: s.id,
      name: s.name,
      summary: summarise(description.text) || s.name,
      description: { text: description.text, markdown: description.markdown },
      sections: description.sections,
      keywords,
      ...(fees.text ? { fees: { text: fees.text, markdown: fees.markdown } } : {}),
      prerequisites: s.prerequisites.length
        ? this.items(s.id, 'prerequisites', s.prerequisites)
        : extracted.prerequisites,
      documents: s.requirements.length
        ? this.items(s.id, 'requirements', s.requirements)
        : extracted.documents,
      ...durationOf(s),
      ...onlineServiceOf(s, appointmentUrl, [...links, ...forms, ...description.links]),
      ...(appointmentUrl ? { appointmentUrl } : {}),
      forms,
      links,
      ...(leika && /^\d{14}$/.test(leika) ? { leikaKey: leika } : {}),
      ...(authority
        ? {
            authority: {
              id: authority.id,
              name: authority.name,
              ...(httpUrl(authority.webinfo) ? { url: httpUrl(authority.webinfo) } : {}),
            },
          }
        : {}),
      ...(s.responsibility ? { responsibility: convertHtml(s.responsibility).text } : {}),
      locations: s.locations
        .map((ref) => this.location(s.id, ref))
        .filter((l): l is Location => !!l),
      relatedServiceIds: s.combinable.filter((c) => c !== s.id),
      source: {
        ...(httpUrl(fillTemplate(s.meta?.url, s.id))
          ? { url: httpUrl(fillTemplate(s.meta?.url, s.id)) }
          : {}),
        publisher: this.source.publisher,
        licence: this.source.licence,
        ...(s.meta?.lastupdate ? { lastUpdate: s.meta.lastupdate } : {}),
      },
      searchable: false,
    };
    return { ...draft, searchable: isCitizenFacing(draft) };
  }
}

function durationOf(s: DldbService): Pick<Service, 'duration'> {
  const minutes = s.duration && s.duration > 0 ? Math.round(s.duration) : undefined;
  const text = s.process_time ? convertHtml(s.process_time).text : undefined;
  if (!minutes && !text) return {};
  return { duration: { ...(minutes ? { minutes } : {}), ...(text ? { text } : {}) } };
}

const ONLINE_TITLE =
  /online[- ]?(portal|antrag|dienst|service|beantragung|anmeldung|abmeldung|ummeldung|zulassung|verfahren)|online (beantragen|stellen|erledigen|anmelden|abmelden|melden)|^antragstellung$/i;

/**
 * The online service is the source's `onlineprocessing` link when it leads somewhere other than
 * the appointment booking (Munich's export points it at the booking page), otherwise a link whose
 * title says it is the online procedure.
 */
function onlineServiceOf(
  s: DldbService,
  appointmentUrl: string | undefined,
  candidates: Link[],
): Pick<Service, 'onlineServiceUrl'> {
  const own = httpUrl(fillTemplate(s.onlineprocessing?.link, s.id));
  if (own && own !== appointmentUrl) return { onlineServiceUrl: own };
  const titled = candidates.find(
    (l) => ONLINE_TITLE.test(l.title) && l.url !== appointmentUrl && !/\.pdf($|\?)/i.test(l.url),
  );
  return titled ? { onlineServiceUrl: titled.url } : {};
}

/** The first one or two sentences of a description, at most about 280 characters. */
export function summarise(text: string): string {
  const firstParagraph = text.split(/\n+/).find((l) => l.trim() && !l.startsWith('- ')) ?? '';
  const sentences = firstParagraph.match(/[^.!?]+[.!?]+(\s|$)/g) ?? [firstParagraph];
  let out = '';
  for (const sentence of sentences) {
    if (out && out.length + sentence.length > 280) break;
    out += sentence;
  }
  out = out.trim();
  return out.length > 300 ? `${out.slice(0, 297).replace(/\s+\S*$/, '')} …` : out;
}

/** Maps a DLDB export to canonical services, reporting and skipping bad records. */
export function importDldb(input: DldbInput): ImportResult {
  const problems: ImportProblem[] = [];
  const locations = new Map<string, DldbLocation>();
  if (input.locations) {
    const { file, json } = input.locations;
    records(file, json, problems).forEach((raw, index) => {
      const parsed = DldbLocationSchema.safeParse(raw);
      if (!parsed.success) {
        problems.push(...problemsFromZod(file, rawRecordId(raw, index), parsed.error, 'skipped'));
        return;
      }
      locations.set(parsed.data.id, parsed.data);
    });
  }
  const { file } = input.services;
  const mapper = new DldbMapper(file, problems, locations, input.source);
  const services: Service[] = [];
  const seen = new Set<string>();
  records(file, input.services.json, problems).forEach((raw, index) => {
    const record = rawRecordId(raw, index);
    const parsed = DldbServiceSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...problemsFromZod(file, record, parsed.error, 'skipped'));
      return;
    }
    if (seen.has(parsed.data.id)) {
      problems.push({
        file,
        record,
        field: 'id',
        reason: 'duplicate id; the first record with it is kept',
        action: 'skipped',
      });
      return;
    }
    const service = ServiceSchema.safeParse(mapper.map(parsed.data));
    if (!service.success) {
      problems.push(...problemsFromZod(file, record, service.error, 'skipped'));
      return;
    }
    seen.add(service.data.id);
    services.push(service.data);
  });
  return { services, problems };
}
