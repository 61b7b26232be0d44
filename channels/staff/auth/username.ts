/**
 * How staff user names are compared: trimmed and in lower case, both when the CLI stores an
 * account and when someone logs in, so "Anna" and "anna" are one account and one rate-limit key.
 */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}
