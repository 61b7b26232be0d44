/**
 * The canonical service catalogue model. Every importer (DLDB today, others later) maps its source
 * format onto these shapes, so search, answers and flows only ever see one vocabulary. Text fields
 * are plain text or safe Markdown produced by `html.ts`; raw HTML never gets past an importer.
 */
import { z } from 'zod';

/** A link the citizen can follow: a form, an information page, the online service. */
export const LinkSchema = z.object({
  title: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }),
});
export type Link = z.infer<typeof LinkSchema>;

/** One item of a list such as required documents or prerequisites, optionally with a detail. */
export const ListItemSchema = z.object({
  text: z.string().min(1),
  detail: z.string().optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
});
export type ListItem = z.infer<typeof ListItemSchema>;

export const AddressSchema = z.object({
  street: z.string(),
  houseNumber: z.string(),
  postalCode: z.string(),
  city: z.string(),
});
export type Address = z.infer<typeof AddressSchema>;

export const GeoSchema = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

/** A place where a service is offered, with contact data and per-service links. */
export const LocationSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  organisation: z.string().optional(),
  unit: z.string().optional(),
  address: AddressSchema.optional(),
  geo: GeoSchema.optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  website: z.url().optional(),
  /** Appointment booking for this service at this location. */
  appointmentUrl: z.url().optional(),
});
export type Location = z.infer<typeof LocationSchema>;

/** A headed part of the description, kept so answers can quote the section that was asked for. */
export const SectionSchema = z.object({
  heading: z.string(),
  markdown: z.string(),
  text: z.string(),
});
export type Section = z.infer<typeof SectionSchema>;

/** Where a record came from, so every answer can cite it and carry the publisher's attribution. */
export const SourceSchema = z.object({
  url: z.url().optional(),
  publisher: z.string().min(1),
  licence: z.string().min(1),
  lastUpdate: z.string().optional(),
});

/**
 * A citizen-facing administrative service ("Leistung"), as answers and flows use it.
 * `searchable` is false for entries with no citizen-facing text (see `isCitizenFacing`).
 */
export const ServiceSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  summary: z.string(),
  description: z.object({ text: z.string(), markdown: z.string() }),
  sections: z.array(SectionSchema),
  keywords: z.array(z.string().min(1)),
  fees: z.object({ text: z.string(), markdown: z.string() }).optional(),
  prerequisites: z.array(ListItemSchema),
  documents: z.array(ListItemSchema),
  /** Typical appointment length in minutes, or a processing time as text. */
  duration: z
    .object({ minutes: z.number().int().positive().optional(), text: z.string().optional() })
    .optional(),
  onlineServiceUrl: z.url().optional(),
  appointmentUrl: z.url().optional(),
  forms: z.array(LinkSchema),
  links: z.array(LinkSchema),
  leikaKey: z
    .string()
    .regex(/^\d{14}$/)
    .optional(),
  authority: z.object({ id: z.string(), name: z.string(), url: z.url().optional() }).optional(),
  responsibility: z.string().optional(),
  locations: z.array(LocationSchema),
  relatedServiceIds: z.array(z.string()),
  source: SourceSchema,
  searchable: z.boolean(),
});
export type Service = z.infer<typeof ServiceSchema>;

/** A whole catalogue as persisted in the data directory. */
export const CatalogueSchema = z.object({
  format: z.literal('lotse-catalogue/1'),
  /** Content hash of the services, so indexes and vector caches know when they are stale. */
  version: z.string().min(1),
  importedAt: z.string(),
  origin: z.string(),
  services: z.array(ServiceSchema),
});
export type Catalogue = z.infer<typeof CatalogueSchema>;
