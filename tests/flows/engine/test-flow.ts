/** A small flow for engine tests: a name, a yes/no with a condition, an optional e-mail, a number. */
import { z } from 'zod';
import type { FieldParse, FlowDefinition } from '../../../flows/engine/definition.js';

const text =
  (min: number) =>
  (t: string): FieldParse<string> =>
    t.trim().length >= min
      ? { ok: true, value: t.trim(), display: t.trim() }
      : { ok: false, error: 'too-short' };

export const testFlow: FlowDefinition = {
  id: 'test',
  serviceId: 'S1',
  title: { de: 'Testantrag', en: 'Test application' },
  triggers: [/testantrag/],
  connector: 'webhook',
  fields: [
    {
      id: 'name',
      label: { de: 'Name', en: 'Name' },
      prompt: { de: 'Wie heißen Sie?', en: 'Your name?' },
      parse: text(2),
      schema: z.string(),
    },
    {
      id: 'street',
      label: { de: 'Straße', en: 'Street' },
      aliases: ['adresse'],
      prompt: { de: 'Ihre Straße?', en: 'Your street?' },
      parse: text(3),
      schema: z.string(),
    },
    {
      id: 'hasCar',
      label: { de: 'Auto', en: 'Car' },
      prompt: { de: 'Haben Sie ein Auto?', en: 'Do you have a car?' },
      choices: [
        { label: { de: 'Ja', en: 'Yes' }, text: 'ja' },
        { label: { de: 'Nein', en: 'No' }, text: 'nein' },
      ],
      parse: (t) =>
        /^(ja|yes)$/i.test(t)
          ? { ok: true, value: true, display: 'ja' }
          : /^(nein|no)$/i.test(t)
            ? { ok: true, value: false, display: 'nein' }
            : { ok: false, error: 'yes-no' },
      schema: z.boolean(),
    },
    {
      id: 'plate',
      label: { de: 'Kennzeichen', en: 'Licence plate' },
      prompt: { de: 'Ihr Kennzeichen?', en: 'Your plate?' },
      when: (a) => a['hasCar'] === true,
      parse: (t) =>
        /^[A-Z]{1,3}-[A-Z]{1,2} \d{1,4}$/.test(t)
          ? { ok: true, value: t, display: t }
          : { ok: false, error: 'plate' },
      schema: z.string(),
    },
    {
      id: 'email',
      label: { de: 'E-Mail', en: 'E-mail' },
      prompt: { de: 'E-Mail (optional)?', en: 'E-mail (optional)?' },
      optional: true,
      parse: (t) =>
        /^\S+@\S+\.\S+$/.test(t)
          ? { ok: true, value: t, display: t }
          : { ok: false, error: 'email' },
      schema: z.email(),
    },
  ],
  toSubmission: (a) => ({
    applicant: a['name'],
    street: a['street'],
    plate: a['plate'] ?? null,
    email: a['email'] ?? null,
  }),
};
