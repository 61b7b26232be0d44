import { describe, expect, it } from 'vitest';
import { safeNext } from '../../../../channels/staff/auth/request.js';

describe('the page to return to after login', () => {
  it('keeps paths inside the console', () => {
    for (const next of ['/staff', '/staff/handoffs', '/staff/insights?days=7', '/staff?q=Pass']) {
      expect(safeNext(next)).toBe(next);
    }
  });

  it('percent-encodes characters a Location header cannot carry, and keeps existing escapes', () => {
    expect(safeNext('/staff?q=Gebühr €')).toBe('/staff?q=Geb%C3%BChr%20%E2%82%AC');
    expect(safeNext('/staff?q=50%25 Rabatt')).toBe('/staff?q=50%25%20Rabatt');
    expect(safeNext('/staff?q=Füße 😀#oben')).toBe('/staff?q=F%C3%BC%C3%9Fe%20%F0%9F%98%80#oben');
  });

  it('falls back to the start page for anything that could leave it', () => {
    for (const next of [
      undefined,
      42,
      '',
      'https://angreifer.example/staff',
      '//angreifer.example/staff',
      '/staff//angreifer.example',
      '/\\angreifer.example',
      '/staff\\..\\x',
      '/staffing',
      '/api/search',
      '/staff/login',
      '/staff/logout',
      '/staff/\u0000x',
      '/staff?q=\ud800',
      `/staff/${'x'.repeat(600)}`,
    ]) {
      expect(safeNext(next), String(next)).toBe('/staff');
    }
  });
});
