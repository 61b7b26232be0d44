/**
 * Field building blocks shared by the flows: adapters from the free-text parsers to flow fields,
 * and the fields most applications ask (name, address, contact). Each comes with its schema, so
 * the submission is validated twice: by the parser and by the flow's data model.
 */
import { z } from 'zod';
import type { FieldDefinition, FieldParse, Texts } from '../engine/definition.js';
import {
  formatAddress,
  parseAddress,
  parseDate,
  parseEmail,
  parseLicencePlate,
  parsePhone,
  parseYesNo,
  type Address,
  type DateParseOptions,
  type LicencePlate,
  type ParseResult,
} from '../parsers/index.js';

/** Parser results are field results (the error code is kept). */
function asField<T>(r: ParseResult<T>): FieldParse<T> {
  return r.ok ? r : { ok: false, error: r.error };
}

type Base = Pick<FieldDefinition, 'id' | 'label' | 'prompt'> &
  Partial<Pick<FieldDefinition, 'optional' | 'when' | 'help' | 'aliases' | 'profileKey'>>;

/** Free text with a minimum and maximum length (names, descriptions). */
export function textField(base: Base, min = 2, max = 500): FieldDefinition<string> {
  return {
    ...base,
    parse: (text) => {
      const t = text.trim().replace(/\s+/g, ' ');
      if (!t) return { ok: false, error: 'empty' };
      if (t.length < min) return { ok: false, error: 'text.too-short' };
      if (t.length > max) return { ok: false, error: 'text.too-long' };
      return { ok: true, value: t, display: t };
    },
    schema: z.string().min(min).max(max),
  };
}

/** The applicant's full name, offered from the once-only profile. */
export function applicantNameField(label = { de: 'Name', en: 'Name' }): FieldDefinition<string> {
  return textField(
    {
      id: 'name',
      label,
      aliases: ['name'],
      profileKey: 'name',
      prompt: { de: 'Wie ist Ihr vollständiger Name?', en: 'What is your full name?' },
    },
    3,
    200,
  );
}

export const AddressSchema = z.object({
  street: z.string().min(1),
  houseNumber: z.string().min(1),
  postcode: z
    .string()
    .regex(/^\d{5}$/)
    .optional(),
  city: z.string().min(1).optional(),
});

/** A German postal address; `requirePostcode` for addresses that must be complete. */
export function addressField(base: Base, requirePostcode = false): FieldDefinition<Address> {
  return {
    ...base,
    parse: (text) => {
      const r = parseAddress(text);
      if (r.ok && requirePostcode && (!r.value.postcode || !r.value.city))
        return { ok: false, error: 'address.postcode' };
      return asField(r);
    },
    schema: AddressSchema as z.ZodType<Address>,
  };
}

export function yesNoField(base: Base): FieldDefinition<boolean> {
  return {
    ...base,
    choices: [
      { label: { de: 'Ja', en: 'Yes' }, text: 'ja' },
      { label: { de: 'Nein', en: 'No' }, text: 'nein' },
    ],
    parse: (text) => asField(parseYesNo(text)),
    schema: z.boolean(),
  };
}

export function dateField(
  base: Base,
  options: Omit<DateParseOptions, 'today'> = {},
): FieldDefinition<string> {
  return {
    ...base,
    parse: (text, { now }) => asField(parseDate(text, { ...options, today: now })),
    schema: z.iso.date(),
  };
}

export function emailField(base: Base): FieldDefinition<string> {
  return { ...base, parse: (text) => asField(parseEmail(text)), schema: z.email() };
}

export function phoneField(base: Base): FieldDefinition<string> {
  return {
    ...base,
    parse: (text) => asField(parsePhone(text)),
    schema: z.string().regex(/^\+\d{6,15}$/),
  };
}

export const LicencePlateSchema = z.object({
  district: z.string().min(1).max(3),
  letters: z.string().min(1).max(2),
  digits: z.string().regex(/^[1-9]\d{0,3}$/),
  suffix: z.enum(['E', 'H']).optional(),
});

export function licencePlateField(base: Base): FieldDefinition<LicencePlate> {
  return {
    ...base,
    parse: (text) => asField(parseLicencePlate(text)),
    schema: LicencePlateSchema as z.ZodType<LicencePlate>,
  };
}

/** A choice among fixed options; the answer is the option's key. */
export function choiceField(
  base: Base,
  options: readonly { key: string; label: Texts; words: readonly string[] }[],
): FieldDefinition<string> {
  const find = (text: string) => {
    const t = text.trim().toLowerCase();
    return options.find(
      (o) =>
        o.key === t ||
        o.words.some((w) => t === w || t.includes(w)) ||
        t === o.label.de.toLowerCase() ||
        t === o.label.en.toLowerCase(),
    );
  };
  return {
    ...base,
    choices: options.map((o) => ({ label: o.label, text: o.key })),
    parse: (text) => {
      const o = find(text);
      return o
        ? { ok: true, value: o.key, display: o.label.de }
        : { ok: false, error: 'choice.unknown' };
    },
    schema: z.enum(options.map((o) => o.key) as [string, ...string[]]),
  };
}

export { formatAddress };

/** Texts for the error codes the field helpers add to the parsers' own. */
export const FIELD_ERROR_TEXTS: Readonly<Record<string, Texts>> = {
  'text.too-short': { de: 'Das ist zu kurz.', en: 'That is too short.' },
  'text.too-long': { de: 'Das ist zu lang.', en: 'That is too long.' },
  'choice.unknown': {
    de: 'Bitte wählen Sie eine der angebotenen Möglichkeiten.',
    en: 'Please choose one of the options offered.',
  },
  'address.postcode': {
    de: 'Bitte geben Sie die vollständige Adresse mit Postleitzahl und Ort an.',
    en: 'Please give the full address with postcode and city.',
  },
};
