import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  formatProblem,
  problemsFromZod,
  rawRecordId,
} from '../../../knowledge/importers/problem.js';

describe('formatProblem', () => {
  it('names file, record, field and reason of a skipped record', () => {
    expect(
      formatProblem({
        file: 'services.json',
        record: '42',
        field: 'name',
        reason: 'expected string',
        action: 'skipped',
      }),
    ).toBe('services.json: record 42: field "name": expected string (record skipped)');
  });

  it('says a dropped value was dropped, not the record', () => {
    expect(
      formatProblem({
        file: 'services.json',
        record: '7',
        field: 'links.0.link',
        reason: 'not an http(s) URL',
        action: 'dropped-field',
      }),
    ).toBe('services.json: record 7: field "links.0.link": not an http(s) URL (value dropped)');
  });
});

describe('rawRecordId', () => {
  it('uses a string or numeric id of the raw record', () => {
    expect(rawRecordId({ id: 'abc' }, 3)).toBe('abc');
    expect(rawRecordId({ id: 17 }, 3)).toBe('17');
  });

  it('falls back to the position when the record has no usable id', () => {
    expect(rawRecordId({ name: 'x' }, 3)).toBe('#3');
    expect(rawRecordId({ id: { nested: 1 } }, 4)).toBe('#4');
    expect(rawRecordId(null, 5)).toBe('#5');
    expect(rawRecordId('text', 6)).toBe('#6');
  });
});

describe('problemsFromZod', () => {
  it('makes one problem per issue with a dotted field path', () => {
    const schema = z.object({ name: z.string(), links: z.array(z.object({ url: z.string() })) });
    const result = schema.safeParse({ name: 1, links: [{ url: 2 }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    const problems = problemsFromZod('f.json', 'r1', result.error, 'skipped');
    expect(problems.map((p) => p.field)).toEqual(['name', 'links.0.url']);
    expect(problems.every((p) => p.file === 'f.json' && p.record === 'r1')).toBe(true);
    expect(problems.every((p) => p.action === 'skipped')).toBe(true);
  });

  it('names the record as a whole when the issue has no path', () => {
    const result = z.object({}).safeParse(null);
    if (result.success) throw new Error('null must not parse as an object');
    expect(problemsFromZod('f.json', '#0', result.error, 'skipped')[0]?.field).toBe('(record)');
  });
});
