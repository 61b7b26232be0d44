/** The flood gate: a polite word once for a user who writes too fast, then silence until calm. */
import { describe, expect, it } from 'vitest';
import { FloodGate } from '../../../channels/messaging/flood-gate.js';

describe('FloodGate', () => {
  it('passes the limit, warns once, drops the rest, and answers again as time passes', () => {
    let now = 0;
    const gate = new FloodGate(3, () => now);
    const verdicts = Array.from({ length: 6 }, () => gate.check('u1'));
    expect(verdicts).toEqual(['pass', 'pass', 'pass', 'warn', 'drop', 'drop']);
    expect(gate.check('u2')).toBe('pass');
    now += 30_000;
    expect(gate.check('u1')).toBe('drop');
    now += 30_001;
    expect(gate.check('u1')).toBe('pass');
  });

  it('does not count dropped messages: a steady writer is answered again after a minute', () => {
    let now = 0;
    const gate = new FloodGate(2, () => now);
    gate.check('u1');
    gate.check('u1');
    for (let i = 0; i < 50; i++) {
      now += 1000;
      gate.check('u1');
    }
    now = 60_001;
    expect(gate.check('u1')).toBe('pass');
  });
});
