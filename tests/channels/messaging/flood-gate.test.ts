/** The flood gate: a polite word once a minute for a user who writes too fast, then silence. */
import { describe, expect, it } from 'vitest';
import { FloodGate } from '../../../channels/messaging/flood-gate.js';

describe('FloodGate', () => {
  it('passes the limit, warns once, drops the rest, and forgets after a minute', () => {
    let now = 0;
    const gate = new FloodGate(3, () => now);
    const verdicts = Array.from({ length: 6 }, () => gate.check('u1'));
    expect(verdicts).toEqual(['pass', 'pass', 'pass', 'warn', 'drop', 'drop']);
    expect(gate.check('u2')).toBe('pass');
    now += 60_001;
    expect(gate.check('u1')).toBe('pass');
  });
});
