/**
 * Mängelmeldung ("Melde-Michel"): report a defect in public space — category, where (an address
 * or coordinates, or a shared location), what, an optional photo and optional contact details —
 * delivered as an Open311 GeoReport v2 service request.
 */
import { z } from 'zod';
import type { FieldDefinition, FlowDefinition } from '../engine/definition.js';
import {
  parseAddress,
  parseCoordinates,
  parseLocationValue,
  formatAddress,
  type Address,
  type GeoPoint,
} from '../parsers/index.js';
import { DEFECT_CATEGORIES } from './defect-categories.js';
import { AddressSchema, choiceField, emailField, textField, yesNoField } from './fields.js';

/** Where the defect is: coordinates (typed or shared from the phone) or an address. */
export type DefectLocation =
  { kind: 'geo'; point: GeoPoint } | { kind: 'address'; address: Address };

const LocationSchema = z.union([
  z.object({
    kind: z.literal('geo'),
    point: z.object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
    }),
  }),
  z.object({ kind: z.literal('address'), address: AddressSchema }),
]);

const locationField: FieldDefinition<DefectLocation> = {
  id: 'location',
  label: { de: 'Ort', en: 'Location' },
  aliases: ['adresse', 'standort', 'stelle', 'address'],
  prompt: {
    de: 'Wo ist der Mangel? Nennen Sie die Adresse (z. B. „Marienplatz 8“) oder teilen Sie Ihren Standort.',
    en: 'Where is it? Give the address (e.g. “Marienplatz 8”) or share your location.',
  },
  parse: (text, { value }) => {
    const shared = value === undefined ? undefined : parseLocationValue(value);
    const geo = shared?.ok ? shared : parseCoordinates(text);
    if (geo.ok) return { ok: true, value: { kind: 'geo', point: geo.value }, display: geo.display };
    const address = parseAddress(text);
    if (address.ok)
      return {
        ok: true,
        value: { kind: 'address', address: address.value },
        display: address.display,
      };
    return { ok: false, error: address.error };
  },
  schema: LocationSchema as z.ZodType<DefectLocation>,
};

/** A photo sent as an attachment: only its URL and type travel in the submission. */
export interface Photo {
  url: string;
  contentType: string;
}

const photoField: FieldDefinition<Photo> = {
  id: 'photo',
  label: { de: 'Foto', en: 'Photo' },
  prompt: {
    de: 'Möchten Sie ein Foto anhängen? Senden Sie es jetzt oder überspringen Sie diesen Schritt.',
    en: 'Would you like to attach a photo? Send it now or skip this step.',
  },
  optional: true,
  parse: (_text, { value }) => {
    const attachment = (
      value as { attachment?: { contentUrl?: unknown; contentType?: unknown } } | undefined
    )?.attachment;
    if (
      !attachment ||
      typeof attachment.contentUrl !== 'string' ||
      typeof attachment.contentType !== 'string'
    )
      return { ok: false, error: 'photo.missing' };
    if (!/^image\/(jpeg|png)$/.test(attachment.contentType))
      return { ok: false, error: 'photo.type' };
    return {
      ok: true,
      value: { url: attachment.contentUrl, contentType: attachment.contentType },
      display: attachment.contentType === 'image/png' ? 'PNG-Bild' : 'JPEG-Bild',
    };
  },
  schema: z.object({ url: z.url(), contentType: z.enum(['image/jpeg', 'image/png']) }),
};

export const maengelmeldung: FlowDefinition = {
  id: 'maengelmeldung',
  serviceId: 'maengelmeldung',
  title: { de: 'Mängelmeldung', en: 'Report a defect' },
  triggers: [
    /m(ä|ae)ngel ?meld|schaden melden|defekt melden|melde-michel|schlagloch|laterne (ist )?(kaputt|defekt|aus)|m(ü|ue)ll melden|report (a )?(defect|problem|pothole)/,
  ],
  connector: 'maengelmeldung',
  fields: [
    choiceField(
      {
        id: 'category',
        label: { de: 'Art des Mangels', en: 'Kind of defect' },
        aliases: ['kategorie', 'category', 'art'],
        prompt: { de: 'Was möchten Sie melden?', en: 'What would you like to report?' },
      },
      DEFECT_CATEGORIES.map((c) => ({ key: c.code, label: c.name, words: c.keywords })),
    ),
    locationField,
    textField(
      {
        id: 'description',
        label: { de: 'Beschreibung', en: 'Description' },
        prompt: {
          de: 'Beschreiben Sie kurz, was nicht in Ordnung ist.',
          en: 'Briefly describe what is wrong.',
        },
      },
      5,
      2000,
    ),
    photoField,
    yesNoField({
      id: 'wantsContact',
      label: { de: 'Rückmeldung', en: 'Updates' },
      prompt: {
        de: 'Möchten Sie per E-Mail über die Bearbeitung informiert werden?',
        en: 'Would you like e-mail updates on your report?',
      },
    }),
    emailField({
      id: 'email',
      label: { de: 'E-Mail', en: 'E-mail' },
      aliases: ['mail', 'e-mail-adresse'],
      profileKey: 'email',
      when: (a) => a['wantsContact'] === true,
      prompt: {
        de: 'Unter welcher E-Mail-Adresse erreichen wir Sie?',
        en: 'What is your e-mail address?',
      },
    }),
  ],
  toSubmission: (a) => {
    const location = a['location'] as DefectLocation;
    const photo = a['photo'] as Photo | undefined;
    return {
      service_code: a['category'],
      description: a['description'],
      ...(location.kind === 'geo'
        ? { lat: location.point.latitude, long: location.point.longitude }
        : { address_string: formatAddress(location.address) }),
      ...(photo ? { media_url: photo.url } : {}),
      ...(a['email'] ? { email: a['email'] } : {}),
    };
  },
  relatedServiceIds: [],
};
