import { describe, expect, it } from 'vitest';
import { backends, uniqueId, useStores } from './backends.js';

describe.each(backends)('once-only profiles on $name', (backend) => {
  const context = useStores(backend);

  it('merges saved entries, records the consent time, and deletes everything on request', async () => {
    const user = uniqueId('user');
    expect(await context.stores.profiles.get(user)).toBeUndefined();
    await context.stores.profiles.save(
      user,
      { name: 'Erika Muster', iban: 'DE89 3704' },
      '2026-11-28T10:00:00.000Z',
    );
    await context.stores.profiles.save(
      user,
      { iban: 'DE02 1203', email: 'e@x.de' },
      '2026-11-29T10:00:00.000Z',
    );
    expect(await context.stores.profiles.get(user)).toEqual({
      userId: user,
      entries: { name: 'Erika Muster', iban: 'DE02 1203', email: 'e@x.de' },
      consentedAt: '2026-11-29T10:00:00.000Z',
    });
    expect(await context.stores.profiles.delete(user)).toBe(true);
    expect(await context.stores.profiles.get(user)).toBeUndefined();
    expect(await context.stores.profiles.delete(user)).toBe(false);
  });
});
