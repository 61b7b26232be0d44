/**
 * Wohnsitzanmeldung (address registration, catalogue service 1063475): move-in date with the
 * two-week rule of the Bundesmeldegesetz (§ 17: register within two weeks after moving in),
 * previous and new address, the landlord's confirmation, and who moves in with the applicant —
 * delivered by signed webhook.
 */
import { z } from 'zod';
import type { FieldDefinition, FlowDefinition } from '../engine/definition.js';
import { formatAddress, type Address } from '../parsers/index.js';
import { addressField, applicantNameField, dateField, yesNoField } from './fields.js';

export const WOHNSITZANMELDUNG_SERVICE_ID = '1063475';
const DAY = 86_400_000;

/** Days between the move-in date and today (positive: in the past). */
export function daysSince(isoDate: string, now: Date): number {
  return Math.floor(
    (Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`) -
      Date.parse(`${isoDate}T00:00:00Z`)) /
      DAY,
  );
}

const moveIn = dateField(
  {
    id: 'moveInDate',
    label: { de: 'Einzugsdatum', en: 'Move-in date' },
    aliases: ['einzug', 'datum'],
    prompt: {
      de: 'Wann sind Sie eingezogen (z. B. „1.3.“ oder „gestern“)?',
      en: 'When did you move in (e.g. “1 March” or “yesterday”)?',
    },
  },
  { prefer: 'past' },
);

/** A move-in date may not lie in the future: one registers after moving in. */
const moveInDate: FieldDefinition<string> = {
  ...moveIn,
  help: {
    de: 'Anmelden können Sie sich ab dem Tag des Einzugs, spätestens zwei Wochen danach.',
    en: 'You can register from the day you move in, at the latest two weeks after.',
  },
  parse: (text, context) => {
    const r = moveIn.parse(text, context);
    if (r.ok && daysSince(r.value, context.now) < 0) return { ok: false, error: 'move-in.future' };
    return r;
  },
};

const householdSize: FieldDefinition<number> = {
  id: 'household',
  label: { de: 'Mitziehende Personen', en: 'People moving with you' },
  aliases: ['personen', 'haushalt', 'mitbewohner'],
  prompt: {
    de: 'Wie viele weitere Personen ziehen mit Ihnen ein (0, wenn niemand)?',
    en: 'How many other people move in with you (0 if nobody)?',
  },
  parse: (text) => {
    const words: Record<string, number> = {
      keine: 0,
      niemand: 0,
      none: 0,
      nobody: 0,
      eine: 1,
      einer: 1,
      one: 1,
      zwei: 2,
      two: 2,
      drei: 3,
      three: 3,
      vier: 4,
      four: 4,
    };
    const t = text.trim().toLowerCase();
    const n = /^\d{1,2}$/.test(t) ? Number(t) : words[t];
    if (n === undefined || n > 20) return { ok: false, error: 'number.invalid' };
    return { ok: true, value: n, display: String(n) };
  },
  schema: z.number().int().min(0).max(20),
};

export const wohnsitzanmeldung: FlowDefinition = {
  id: 'wohnsitzanmeldung',
  serviceId: WOHNSITZANMELDUNG_SERVICE_ID,
  title: { de: 'Wohnsitzanmeldung', en: 'Address registration' },
  triggers: [
    /wohnsitz(an)?meld|(wohnsitz|wohnung)\s+(an|um)(zu)?meld|wohnung anmelden|(um|an)melden.*(wohnung|wohnsitz|umzug)|umzug (an)?melden|register (my )?(address|residence)/,
  ],
  connector: 'wohnsitzanmeldung',
  fields: [
    applicantNameField(),
    dateField(
      {
        id: 'birthDate',
        label: { de: 'Geburtsdatum', en: 'Date of birth' },
        profileKey: 'birthDate',
        prompt: { de: 'Wann sind Sie geboren?', en: 'What is your date of birth?' },
      },
      { prefer: 'past' },
    ),
    moveInDate,
    addressField(
      {
        id: 'newAddress',
        label: { de: 'Neue Adresse', en: 'New address' },
        aliases: ['neue anschrift', 'adresse', 'straße'],
        prompt: {
          de: 'Wie lautet Ihre neue Adresse (Straße, Hausnummer, PLZ, Ort)?',
          en: 'What is your new address (street, number, postcode, city)?',
        },
      },
      true,
    ),
    addressField({
      id: 'previousAddress',
      label: { de: 'Bisherige Adresse', en: 'Previous address' },
      aliases: ['alte adresse', 'alte anschrift'],
      profileKey: 'address',
      prompt: { de: 'Wo haben Sie bisher gewohnt?', en: 'Where did you live before?' },
    }),
    yesNoField({
      id: 'landlordConfirmation',
      label: { de: 'Wohnungsgeberbestätigung', en: 'Landlord’s confirmation' },
      prompt: {
        de: 'Haben Sie die Wohnungsgeberbestätigung Ihres Vermieters?',
        en: 'Do you have the landlord’s confirmation (Wohnungsgeberbestätigung)?',
      },
    }),
    householdSize,
  ],
  toSubmission: (a, { now }) => ({
    service: WOHNSITZANMELDUNG_SERVICE_ID,
    person: { name: a['name'], birthDate: a['birthDate'] },
    moveInDate: a['moveInDate'],
    /** Registered later than the two weeks § 17 BMG allows (the office decides what follows). */
    lateRegistration: daysSince(String(a['moveInDate']), now) > 14,
    newAddress: formatAddress(a['newAddress'] as Address),
    previousAddress: formatAddress(a['previousAddress'] as Address),
    landlordConfirmation: a['landlordConfirmation'],
    householdMembers: a['household'],
  }),
  relatedServiceIds: ['1072043', '1064121'],
};
