import { describe, expect, it } from 'vitest';
import { statusText } from '../../channels/status-notifications.js';
import type { OutboxRecord } from '../../flows/outbox/types.js';

const record = { receipt: 'LT-2026-7K3F-9Q2M' } as OutboxRecord;

describe('status messages for citizens', () => {
  it('tells the citizen when the application reached the office and what the office reported', () => {
    expect(statusText({ type: 'delivered', record }, 'de')).toBe(
      'Ihr Antrag LT-2026-7K3F-9Q2M wurde an die zuständige Stelle übermittelt.',
    );
    expect(
      statusText(
        { type: 'backend-status', record, status: 'completed', message: 'Ausweis liegt bereit' },
        'de',
      ),
    ).toBe(
      'Gute Nachricht: Ihr Antrag LT-2026-7K3F-9Q2M ist erledigt.\n\nHinweis der Behörde: Ausweis liegt bereit',
    );
    expect(statusText({ type: 'rejected', record, reason: 'Unterlagen fehlen' }, 'en')).toContain(
      'could not be accepted',
    );
  });

  it('stays silent about retries', () => {
    expect(
      statusText(
        { type: 'retry-scheduled', record, error: 'x', nextAttemptAt: '2026-01-01T00:00:00Z' },
        'de',
      ),
    ).toBeUndefined();
  });
});
