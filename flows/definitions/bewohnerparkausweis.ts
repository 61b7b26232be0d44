/**
 * Bewohnerparkausweis (resident parking permit, catalogue service 1072043): applicant, address in
 * the city, licence plate, whether the applicant holds the vehicle, and 12 or 24 months — with
 * the fee as the catalogue states it — delivered to the authority by signed webhook.
 */
import type { FlowDefinition, Texts } from '../engine/definition.js';
import {
  formatAddress,
  formatLicencePlate,
  type Address,
  type LicencePlate,
} from '../parsers/index.js';
import {
  addressField,
  applicantNameField,
  choiceField,
  licencePlateField,
  textField,
  yesNoField,
} from './fields.js';

export const BEWOHNERPARKAUSWEIS_SERVICE_ID = '1072043';

/** The catalogue's fee line for a validity period, e.g. "12 Monate gültig: 30 Euro". */
export function feeLine(feeText: string | undefined, months: 12 | 24): string | undefined {
  return feeText
    ?.split('\n')
    .map((l) => l.replace(/^[-*]\s*/, '').trim())
    .find((l) => new RegExp(`\\b${months}\\s*Monat`, 'i').test(l));
}

function period(
  months: 12 | 24,
  feeText: string | undefined,
): { key: string; label: Texts; words: string[] } {
  const fee = feeLine(feeText, months);
  return {
    key: String(months),
    label: {
      de: fee ?? `${months} Monate`,
      en: fee ? `${months} months (${fee})` : `${months} months`,
    },
    words: [
      `${months}`,
      `${months} monate`,
      `${months} months`,
      months === 12 ? 'ein jahr' : 'zwei jahre',
      months === 12 ? 'one year' : 'two years',
    ],
  };
}

/** Builds the flow with the fee text of the catalogue service (never a fee of its own). */
export function createBewohnerparkausweis(feeText: string | undefined): FlowDefinition {
  return {
    id: 'bewohnerparkausweis',
    serviceId: BEWOHNERPARKAUSWEIS_SERVICE_ID,
    title: { de: 'Bewohnerparkausweis', en: 'Resident parking permit' },
    triggers: [/(bewohner|anwohner)park(ausweis|lizenz|plakette)|parkwapperl|resident parking/],
    connector: 'bewohnerparkausweis',
    fields: [
      applicantNameField(),
      addressField(
        {
          id: 'address',
          label: { de: 'Adresse', en: 'Address' },
          aliases: ['anschrift', 'wohnadresse', 'straße'],
          profileKey: 'address',
          prompt: {
            de: 'Unter welcher Adresse wohnen Sie (Straße, Hausnummer, PLZ, Ort)?',
            en: 'What is your address (street, number, postcode, city)?',
          },
        },
        true,
      ),
      licencePlateField({
        id: 'plate',
        label: { de: 'Kennzeichen', en: 'Licence plate' },
        aliases: ['nummernschild', 'autokennzeichen'],
        prompt: {
          de: 'Wie lautet das Kennzeichen des Fahrzeugs (z. B. „M-AB 1234“)?',
          en: 'What is the licence plate (e.g. “M-AB 1234”)?',
        },
      }),
      yesNoField({
        id: 'isHolder',
        label: { de: 'Halter', en: 'Vehicle holder' },
        prompt: {
          de: 'Sind Sie selbst Halterin oder Halter des Fahrzeugs?',
          en: 'Are you the registered holder of the vehicle?',
        },
      }),
      textField(
        {
          id: 'holderName',
          label: { de: 'Name des Halters', en: 'Holder’s name' },
          when: (a) => a['isHolder'] === false,
          prompt: {
            de: 'Auf wen ist das Fahrzeug zugelassen (z. B. Arbeitgeber, Leasinggesellschaft)?',
            en: 'Who is the vehicle registered to (e.g. employer, leasing company)?',
          },
        },
        2,
        200,
      ),
      choiceField(
        {
          id: 'months',
          label: { de: 'Gültigkeit', en: 'Validity' },
          prompt: {
            de: 'Für welchen Zeitraum möchten Sie den Ausweis?',
            en: 'For how long would you like the permit?',
          },
        },
        [period(12, feeText), period(24, feeText)],
      ),
    ],
    toSubmission: (a) => ({
      service: BEWOHNERPARKAUSWEIS_SERVICE_ID,
      applicant: { name: a['name'], address: formatAddress(a['address'] as Address) },
      vehicle: {
        plate: formatLicencePlate(a['plate'] as LicencePlate),
        holder: a['isHolder'] ? a['name'] : a['holderName'],
      },
      validityMonths: Number(a['months']),
      fee: feeLine(feeText, Number(a['months']) as 12 | 24) ?? null,
    }),
    relatedServiceIds: ['1072040', '1072037'],
  };
}
