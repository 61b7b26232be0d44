import { describe, expect, it } from 'vitest';
import { failed, parsed, PARSE_ERROR_CODES } from '../../../flows/parsers/result.js';

describe('parse results', () => {
  it('carries value and display on success and only a code on failure', () => {
    expect(parsed(42, '42')).toEqual({ ok: true, value: 42, display: '42' });
    expect(failed('empty')).toEqual({ ok: false, error: 'empty' });
  });

  it('lists every error code once, namespaced by parser', () => {
    expect(new Set(PARSE_ERROR_CODES).size).toBe(PARSE_ERROR_CODES.length);
    for (const code of PARSE_ERROR_CODES) expect(code).toMatch(/^(?:empty|[a-z-]+\.[a-z-]+)$/);
  });
});
