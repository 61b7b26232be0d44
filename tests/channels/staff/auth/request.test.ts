import { describe, expect, it } from 'vitest';
import { safeNext } from '../../../../channels/staff/auth/request.js';

describe('the page to return to after login', () => {
  it('keeps paths inside the console', () => {
    for (const next of ['/staff', '/staff/handoffs', '/staff/insights?days=7', '/staff?q=Pass']) {
      expect(safeNext(next)).toBe(next);
    }
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
      `/staff/${'x'.repeat(600)}`,
    ]) {
      expect(safeNext(next), String(next)).toBe('/staff');
    }
  });
});
