/** When the shared flood counter fails, citizens are answered (and the failure is logged). */
import { describe, expect, it } from 'vitest';
import { FailOpenFloodLimiter } from '../../../channels/cluster/redis-flood-limiter.js';

describe('FailOpenFloodLimiter', () => {
  it('passes messages and swallows forget failures while the store is down', async () => {
    const warnings: string[] = [];
    const broken = {
      check: () => Promise.reject(new Error('Connection is closed.')),
      forget: () => Promise.reject(new Error('Connection is closed.')),
    };
    const limiter = new FailOpenFloodLimiter(broken, {
      warn: (_o, message) => warnings.push(message),
    });
    expect(await limiter.check('telegram:1')).toBe('pass');
    await limiter.forget(['telegram:1']);
    expect(warnings).toHaveLength(2);
  });

  it('keeps the store’s verdict when it works', async () => {
    const limiter = new FailOpenFloodLimiter(
      { check: async () => 'drop' as const, forget: async () => undefined },
      { warn: () => undefined },
    );
    expect(await limiter.check('telegram:1')).toBe('drop');
  });
});
