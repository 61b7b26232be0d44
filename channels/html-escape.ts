/**
 * The one HTML escaping of the channels: the staff console's pages, Matrix's
 * `org.matrix.custom.html` and Telegram's `parse_mode: 'HTML'` all take text through it, so text
 * from the catalogue or from a user can never become markup. It writes only `&amp; &lt; &gt;
 * &quot;` and the numeric `&#39;` — entities that HTML, Matrix clients and Telegram alike
 * understand (Telegram supports every numeric entity and just those four named ones).
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and for single- or double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
