/**
 * Which catalogue entries citizens may be shown. Appointment systems export internal entries
 * (time slots such as "Shortlane 15 min", "Testleistung", counter queues) next to real services.
 * The source's `public` flag does not separate them: Munich marks real services such as
 * "Sterbeurkunde" non-public because they are booked elsewhere, while some internal slots are
 * public. The rule that does separate them is content:
 *
 * **A service is citizen-facing when it has at least one citizen-facing text: a description,
 * keywords, a fee text, or at least one form or link.** Everything else stays in the catalogue
 * (so references to it keep working) but out of search.
 */
import type { Service } from './schema.js';

type Content = Pick<Service, 'description' | 'keywords' | 'fees' | 'forms' | 'links'>;

/** Applies the rule above to one service. */
export function isCitizenFacing(s: Content): boolean {
  return (
    s.description.text.trim().length > 0 ||
    s.keywords.length > 0 ||
    (s.fees?.text.trim().length ?? 0) > 0 ||
    s.forms.length > 0 ||
    s.links.length > 0
  );
}
