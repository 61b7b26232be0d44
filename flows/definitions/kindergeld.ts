/**
 * Kindergeld ("Kinderleicht zum Kindergeld"): the child, its date of birth, the parents, tax
 * identification numbers, the account for payment, and the eligibility questions of the FörderFunke
 * Kindergeld requirement profile (habitual residence, the child in the household, education
 * between 18 and 25) — delivered to the Familienkasse by signed webhook with an eligibility
 * assessment the office checks.
 */
import { z } from 'zod';
import type { Answers, FieldDefinition, FlowDefinition } from '../engine/definition.js';
import { formatIban, parseIban, parseTaxId } from '../parsers/index.js';
import { applicantNameField, choiceField, dateField, textField, yesNoField } from './fields.js';

/** The Kindergeld entry Lotse adds to the catalogue (see knowledge/data/supplement). */
export const KINDERGELD_SERVICE_ID = 'lotse-kindergeld';

/** Age in whole years on `now` of someone born on `isoDate`. */
export function ageOn(isoDate: string, now: Date): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const today = now.toISOString().slice(0, 10).split('-').map(Number) as [number, number, number];
  return today[0] - y - (today[1] < m || (today[1] === m && today[2] < d) ? 1 : 0);
}

function taxIdField(
  id: string,
  label: { de: string; en: string },
  prompt: { de: string; en: string },
  profileKey?: string,
): FieldDefinition<string> {
  return {
    id,
    label,
    prompt,
    ...(profileKey ? { profileKey } : {}),
    help: {
      de: 'Die Steuer-Identifikationsnummer hat 11 Ziffern und steht auf Ihrem Einkommensteuerbescheid oder Ihrer Lohnabrechnung.',
      en: 'The tax ID has 11 digits; it is on your tax assessment or payslip.',
    },
    parse: (text) => parseTaxId(text),
    schema: z.string().regex(/^\d{11}$/),
  };
}

const iban: FieldDefinition<string> = {
  id: 'iban',
  label: { de: 'IBAN', en: 'IBAN' },
  profileKey: 'iban',
  prompt: {
    de: 'Auf welches Konto soll das Kindergeld gezahlt werden? Bitte nennen Sie die IBAN.',
    en: 'Which account should the child benefit be paid to? Please give the IBAN.',
  },
  parse: (text) => parseIban(text),
  schema: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/),
};

const childAge = (a: Answers, now: Date) =>
  typeof a['childBirthDate'] === 'string' ? ageOn(a['childBirthDate'], now) : 0;

/** The profile's rule, as far as the answers tell; the Familienkasse decides. */
export function assessEligibility(a: Answers, now: Date): 'likely' | 'unlikely' {
  const age = childAge(a, now);
  if (a['residence'] === 'third-country') return 'unlikely';
  if (a['childInHousehold'] === false) return 'unlikely';
  if (age >= 25) return 'unlikely';
  if (age >= 18 && a['childInEducation'] === false) return 'unlikely';
  return 'likely';
}

export const kindergeld: FlowDefinition = {
  id: 'kindergeld',
  serviceId: KINDERGELD_SERVICE_ID,
  title: { de: 'Kinderleicht zum Kindergeld', en: 'Child benefit made easy' },
  triggers: [/kindergeld|child benefit/],
  connector: 'kindergeld',
  fields: [
    applicantNameField({ de: 'Ihr Name', en: 'Your name' }),
    taxIdField(
      'taxId',
      { de: 'Ihre Steuer-ID', en: 'Your tax ID' },
      {
        de: 'Wie lautet Ihre steuerliche Identifikationsnummer (11 Ziffern)?',
        en: 'What is your tax identification number (11 digits)?',
      },
      'taxId',
    ),
    choiceField(
      {
        id: 'residence',
        label: { de: 'Gewöhnlicher Aufenthalt', en: 'Habitual residence' },
        prompt: {
          de: 'Wo ist Ihr gewöhnlicher Aufenthaltsort?',
          en: 'Where is your habitual residence?',
        },
      },
      [
        {
          key: 'germany',
          label: { de: 'Deutschland', en: 'Germany' },
          words: ['deutschland', 'germany', 'hier'],
        },
        {
          key: 'eu',
          label: { de: 'EU, EWR oder Schweiz', en: 'EU, EEA or Switzerland' },
          words: ['eu', 'ewr', 'schweiz', 'norwegen', 'island', 'liechtenstein'],
        },
        {
          key: 'third-country',
          label: { de: 'Anderes Land (Drittstaat)', en: 'Other country (non-EU)' },
          words: ['drittstaat', 'anderes land', 'non-eu'],
        },
      ],
    ),
    textField(
      {
        id: 'childName',
        label: { de: 'Name des Kindes', en: 'Child’s name' },
        aliases: ['kind'],
        prompt: {
          de: 'Wie heißt Ihr Kind (Vor- und Nachname)?',
          en: 'What is your child’s name (first and last)?',
        },
      },
      2,
      200,
    ),
    dateField(
      {
        id: 'childBirthDate',
        label: { de: 'Geburtsdatum des Kindes', en: 'Child’s date of birth' },
        aliases: ['geburtsdatum'],
        prompt: { de: 'Wann ist Ihr Kind geboren?', en: 'When was your child born?' },
      },
      { prefer: 'past' },
    ),
    taxIdField(
      'childTaxId',
      { de: 'Steuer-ID des Kindes', en: 'Child’s tax ID' },
      {
        de: 'Wie lautet die Steuer-ID Ihres Kindes? Sie kommt einige Wochen nach der Geburt per Post.',
        en: 'What is your child’s tax ID? It arrives by post a few weeks after birth.',
      },
    ),
    yesNoField({
      id: 'childInHousehold',
      label: { de: 'Kind im Haushalt', en: 'Child in household' },
      prompt: {
        de: 'Lebt das Kind in Ihrem Haushalt?',
        en: 'Does the child live in your household?',
      },
    }),
    {
      ...yesNoField({
        id: 'childInEducation',
        label: { de: 'Ausbildung oder Studium', en: 'Training or studies' },
        prompt: {
          de: 'Ihr Kind ist 18 oder älter: Ist es in Ausbildung oder Studium, in einer Übergangszeit von höchstens vier Monaten oder auf Ausbildungsplatzsuche?',
          en: 'Your child is 18 or older: is it in training or at university, in a transition of at most four months, or looking for an apprenticeship?',
        },
      }),
      when: (a) =>
        typeof a['childBirthDate'] === 'string' && ageOn(a['childBirthDate'], new Date()) >= 18,
    },
    textField(
      {
        id: 'otherParent',
        label: { de: 'Anderer Elternteil', en: 'Other parent' },
        optional: true,
        prompt: {
          de: 'Wie heißt der andere Elternteil? (Sie können das überspringen.)',
          en: 'What is the other parent’s name? (You may skip this.)',
        },
      },
      3,
      200,
    ),
    iban,
    textField(
      {
        id: 'accountHolder',
        label: { de: 'Kontoinhaber', en: 'Account holder' },
        prompt: { de: 'Auf wen lautet das Konto?', en: 'Who holds the account?' },
      },
      3,
      200,
    ),
  ],
  toSubmission: (a, { now }) => ({
    benefit: 'kindergeld',
    applicant: { name: a['name'], taxId: a['taxId'], residence: a['residence'] },
    child: {
      name: a['childName'],
      birthDate: a['childBirthDate'],
      taxId: a['childTaxId'],
      inHousehold: a['childInHousehold'],
      inEducation: a['childInEducation'] ?? null,
    },
    otherParent: a['otherParent'] ?? null,
    payment: {
      iban: a['iban'],
      ibanDisplay: formatIban(String(a['iban'])),
      accountHolder: a['accountHolder'],
    },
    eligibility: assessEligibility(a, now),
  }),
  relatedServiceIds: [],
};
