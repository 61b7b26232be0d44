/**
 * E-mail addresses, checked pragmatically: what people mistype (no "@", no domain, a space, two
 * dots) is caught with a specific code; the rare exotic forms RFC 5321 allows (quoted local
 * parts, IP literals) are not accepted, because no citizen types them into a form.
 */
import { failed, parsed, type ParseResult } from './result.js';
import { cleanInput } from './text.js';

const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TOP_LEVEL = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u;

/**
 * Parses an address; "mailto:", angle brackets and a sentence's final full stop are removed.
 * The domain is lower-cased (it is case-insensitive), the local part kept as typed. Errors:
 * 'email.no-at', 'email.no-domain' (nothing after "@" or no dot in it), 'email.format'.
 */
export function parseEmail(text: string): ParseResult<string> {
  const cleaned = cleanInput(text);
  if (!cleaned) return failed('empty');
  const input = cleaned
    .replace(/^mailto:/i, '')
    .replace(/^<(.*)>$/, '$1')
    .replace(/\.$/, '');
  if (/\s/.test(input)) return failed('email.format');
  const at = input.lastIndexOf('@');
  if (at < 0) return failed('email.no-at');
  const local = input.slice(0, at);
  const domain = input.slice(at + 1).toLowerCase();
  if (!domain || !domain.includes('.')) return failed('email.no-domain');
  if (!local || local.length > 64 || !LOCAL_PART.test(local)) return failed('email.format');
  const labels = domain.split('.');
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return failed('email.format');
  if (!TOP_LEVEL.test(labels.at(-1)!)) return failed('email.format');
  const address = `${local}@${domain}`;
  if (address.length > 254) return failed('email.format');
  return parsed(address, address);
}
