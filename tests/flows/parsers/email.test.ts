import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../../flows/parsers/email.js';

describe('parseEmail', () => {
  it.each([
    ['max@example.de', 'max@example.de'],
    ['  Max.Mustermann@Example.DE ', 'Max.Mustermann@example.de'],
    ['max.mustermann+amt@mail.example.org', 'max.mustermann+amt@mail.example.org'],
    ['mailto:info@stadt-muenchen.de', 'info@stadt-muenchen.de'],
    ['<info@muenchen.de>', 'info@muenchen.de'],
    ['jörg@müller.de', 'jörg@müller.de'],
    ['max@example.de.', 'max@example.de'],
    ['a@xn--mller-kva.de', 'a@xn--mller-kva.de'],
  ])('accepts %j as %s', (text, address) => {
    expect(parseEmail(text)).toEqual({ ok: true, value: address, display: address });
  });

  it.each([
    ['max.example.de', 'email.no-at'],
    ['max at example.de', 'email.format'],
    ['max@', 'email.no-domain'],
    ['max@gmail', 'email.no-domain'],
    ['@example.de', 'email.format'],
    ['max@@example.de', 'email.format'],
    ['max@exa mple.de', 'email.format'],
    ['max..m@example.de', 'email.format'],
    ['.max@example.de', 'email.format'],
    ['max@example..de', 'email.format'],
    ['max@-example.de', 'email.format'],
    ['max@example.d', 'email.format'],
    ['max@example.123', 'email.format'],
    [`${'a'.repeat(65)}@example.de`, 'email.format'],
    ['', 'empty'],
  ])('rejects %j with %s', (text, code) => {
    expect(parseEmail(text)).toEqual({ ok: false, error: code });
  });
});
