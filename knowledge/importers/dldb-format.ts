/**
 * Zod shapes of the DLDB JSON export (the format of Berlin's and Munich's service databases), as
 * documented in the DLDB interface documentation and its JSON schema. Only the fields Lotse uses
 * are declared; everything else passes through untouched. Shapes are lenient where real exports
 * vary (ids as numbers or strings, `null` for empty texts) and strict where a wrong value would
 * mislead a citizen (links must be URLs, coordinates must be numbers).
 */
import { z } from 'zod';

const id = z.union([z.string().min(1), z.number().int()]).transform(String);
const optionalText = z
  .union([z.string(), z.null(), z.literal(false)])
  .optional()
  .transform((v) => (typeof v === 'string' ? v : undefined));
const linkString = z.string().trim();

export const DldbLinkSchema = z.looseObject({
  name: z.string().optional().default(''),
  link: linkString.optional().default(''),
  description: z.union([z.string(), z.boolean(), z.null()]).optional(),
});

export const DldbItemSchema = z.looseObject({
  name: z.string().default(''),
  link: z.string().optional(),
  description: z.union([z.string(), z.boolean(), z.null()]).optional(),
});

export const DldbServiceLocationSchema = z.looseObject({
  location: id,
  url: optionalText,
  appointment: z.looseObject({ link: optionalText }).nullish(),
});

export const DldbServiceSchema = z.looseObject({
  id,
  name: z.string().trim().min(1),
  description: optionalText,
  meta: z
    .looseObject({
      lastupdate: optionalText,
      url: optionalText,
      keywords: optionalText,
      locale: optionalText,
    })
    .optional(),
  authorities: z
    .array(z.looseObject({ id, name: z.string(), webinfo: optionalText }))
    .optional()
    .default([]),
  locations: z.array(DldbServiceLocationSchema).optional().default([]),
  leika: optionalText,
  public: z.boolean().optional(),
  links: z.array(DldbLinkSchema).optional().default([]),
  forms: z.array(DldbLinkSchema).optional().default([]),
  appointment: z.looseObject({ link: optionalText }).nullish(),
  onlineprocessing: z.looseObject({ link: optionalText }).nullish(),
  duration: z.union([z.number().nonnegative(), z.null()]).optional(),
  process_time: optionalText,
  combinable: z.array(id).optional().default([]),
  fees: optionalText,
  prerequisites: z.array(DldbItemSchema).optional().default([]),
  requirements: z.array(DldbItemSchema).optional().default([]),
  responsibility: optionalText,
});
export type DldbService = z.infer<typeof DldbServiceSchema>;

/** A coordinate as number or numeric string, within ±limit degrees. */
const coordinate = (limit: number) =>
  z
    .union([z.number(), z.string().trim().min(1)])
    .transform(Number)
    .refine(
      (v) => Number.isFinite(v) && Math.abs(v) <= limit,
      `not a coordinate within ±${limit}°`,
    );

export const DldbLocationSchema = z.looseObject({
  id,
  name: z.string().trim().min(1),
  displayName: optionalText,
  organization: optionalText,
  organizationUnit: optionalText,
  address: z
    .looseObject({
      street: z.string().default(''),
      house_number: z.union([z.string(), z.number()]).transform(String).default(''),
      postal_code: z.union([z.string(), z.number()]).transform(String).default(''),
      city: z.string().default(''),
    })
    .nullish(),
  geo: z
    .looseObject({
      lat: coordinate(90),
      lon: coordinate(180),
    })
    .nullish(),
  contact: z
    .looseObject({ phone: optionalText, email: optionalText, webinfo: optionalText })
    .nullish(),
  services: z
    .array(
      z.looseObject({
        service: id,
        appointment: z.looseObject({ link: optionalText }).nullish(),
        onlineprocessing: z.looseObject({ link: optionalText }).nullish(),
      }),
    )
    .optional()
    .default([]),
});
export type DldbLocation = z.infer<typeof DldbLocationSchema>;

/** The envelope of a DLDB export file: `{ data: [...], meta: {...} }`, or a bare array. */
export const DldbEnvelopeSchema = z.union([
  z.looseObject({ data: z.array(z.unknown()), meta: z.looseObject({}).optional() }),
  z.array(z.unknown()).transform((data) => ({ data, meta: undefined })),
]);
