/**
 * Free-text parsers for flow fields: pure functions from what a citizen typed to a checked value,
 * a display form for the summary, or a stable error code. No I/O, no botbuilder; the flow engine
 * binds options and maps codes to texts (`texts.ts`).
 */
export * from './result.js';
export * from './texts.js';
export * from './calendar.js';
export * from './date.js';
export * from './iban.js';
export * from './iban-countries.js';
export * from './tax-id.js';
export * from './postcode.js';
export * from './licence-plate.js';
export * from './email.js';
export * from './phone.js';
export * from './yes-no.js';
export * from './address.js';
export * from './geo.js';
