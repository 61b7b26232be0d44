/**
 * IBAN lengths per country from the SWIFT IBAN registry (ISO 13616), and the BBAN structure for
 * the countries Lotse's citizens bank in most. A wrong length is the most common typo after a
 * swapped digit, and the length table catches it with a clearer message than the checksum.
 */

/**
 * BBAN structure in registry notation: runs of `<count><kind>`, kind `n` digits, `a` upper-case
 * letters, `c` letters or digits (e.g. '5n12c' for Switzerland).
 */
export type BbanStructure = string;

/** Length of the whole IBAN and, where recorded, the BBAN structure. */
export interface IbanCountry {
  length: number;
  bban?: BbanStructure;
}

const STRUCTURES: Record<string, BbanStructure> = {
  AT: '16n',
  BE: '12n',
  CH: '5n12c',
  DE: '18n',
  DK: '14n',
  ES: '20n',
  FR: '10n11c2n',
  GB: '4a14n',
  IT: '1a10n12c',
  LU: '3n13c',
  NL: '4a10n',
  PL: '24n',
};

const LENGTHS = `AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22
DK18 DO28 EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23
IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MR27 MT31 MU30
NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24
TR26 UA29 VA22 VG24 XK20`;

/** Countries that issue IBANs, keyed by ISO 3166 alpha-2 code. */
export const IBAN_COUNTRIES: ReadonlyMap<string, IbanCountry> = new Map(
  LENGTHS.split(/\s+/).map((entry) => {
    const code = entry.slice(0, 2);
    const bban = STRUCTURES[code];
    const country: IbanCountry = { length: Number(entry.slice(2)) };
    return [code, bban ? { ...country, bban } : country];
  }),
);

/** A regular expression for a BBAN structure, anchored at both ends. */
export function bbanPattern(structure: BbanStructure): RegExp {
  const classes: Record<string, string> = { n: '[0-9]', a: '[A-Z]', c: '[A-Z0-9]' };
  const body = [...structure.matchAll(/(\d+)([nac])/g)]
    .map(([, count, kind]) => `${classes[kind!]}{${count}}`)
    .join('');
  return new RegExp(`^${body}$`);
}
