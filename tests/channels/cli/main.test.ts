import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../channels/cli/main.js';
import { dldbService, tempDir } from '../../knowledge/fixtures.js';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

/** Runs the CLI in-process with its own data directory and collects what it prints. */
async function cli(argv: string[], env: Record<string, string>): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, env);
  return { code, out, err };
}

const METRIC_KEYS = [
  'recallAt1',
  'recallAt3',
  'mrr',
  'oosAbstained',
  'oosTotal',
  'falseAbstentions',
  'inScopeTotal',
  'byKind',
];

describe('lotse search', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { LOTSE_DATA_DIR: tempDir() };
    // The first run builds and saves the index; later runs restore it.
    await cli(['search', 'Reisepass'], env);
  });

  it('prints exactly one JSON object with the ranked services', async () => {
    const r = await cli(['search', 'Personalausweis beantragen', '--json', '--limit', '3'], env);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out).toHaveLength(1);
    const json = JSON.parse(r.out[0]!);
    expect(json.query).toBe('Personalausweis beantragen');
    expect(json.abstained).toBe(false);
    expect(json.results).toHaveLength(3);
    expect(json.results[0]).toMatchObject({ id: '1063441', name: 'Personalausweis' });
    for (const result of json.results) {
      expect(Object.keys(result)).toEqual(expect.arrayContaining(['id', 'name', 'score']));
      expect(typeof result.score).toBe('number');
    }
  });

  it('prints a numbered list with ids for people', async () => {
    const r = await cli(['search', 'Gewerbe', 'anmelden', '--limit', '2'], env);
    expect(r.code).toBe(0);
    expect(r.out.filter((l) => /^\d+\. /.test(l))).toHaveLength(2);
    expect(r.out.join('\n')).toContain('1. Gewerbe-Anmeldung (1063423)');
  });

  it('rejects a --limit that is not a number, naming the option', async () => {
    const r = await cli(['search', 'Reisepass', '--limit', 'abc'], env);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n')).toContain('--limit');
    expect(r.err.join('\n')).toContain('"abc"');
  });

  it('rejects a search without a query as a usage error', async () => {
    const r = await cli(['search', '--json'], env);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/search needs a query/);
  });

  it('rejects an unknown option as a usage error', async () => {
    const r = await cli(['search', 'Reisepass', '--bogus'], env);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('--bogus');
  });
});

describe('lotse commands and settings', () => {
  it('rejects an unknown command with exit code 2 and the usage text', async () => {
    const r = await cli(['frobnicate'], { LOTSE_DATA_DIR: tempDir() });
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('unknown command "frobnicate"');
    expect(r.err.join('\n')).toContain('Usage: lotse');
  });

  it('prints the usage for help and exits 0', async () => {
    const r = await cli(['help'], { LOTSE_DATA_DIR: tempDir() });
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('Usage: lotse');
  });

  it('prints the usage and exits 2 when no command is given', async () => {
    const r = await cli([], { LOTSE_DATA_DIR: tempDir() });
    expect(r.code).toBe(2);
    expect(r.out.join('\n')).toContain('Usage: lotse');
  });

  it('stops with exit code 1 and names PORT when PORT is not a number', async () => {
    const r = await cli(['search', 'Reisepass'], { LOTSE_DATA_DIR: tempDir(), PORT: 'abc' });
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n')).toContain('PORT');
    expect(r.err.join('\n')).toContain('"abc"');
  });

  it('stops with exit code 1 and names a configured synonym file that is missing', async () => {
    const dir = tempDir();
    const missing = join(dir, 'missing-synonyms.txt');
    const r = await cli(['search', 'Reisepass'], {
      LOTSE_DATA_DIR: dir,
      LOTSE_SYNONYM_FILES: missing,
    });
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain(missing);
  });
});

describe('lotse eval', () => {
  it('prints all metrics of the development set as JSON', async () => {
    const r = await cli(['eval', 'tests/eval/search-dev.jsonl', '--json'], {
      LOTSE_DATA_DIR: tempDir(),
    });
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    const report = JSON.parse(r.out[0]!);
    expect(Object.keys(report).sort()).toEqual([...METRIC_KEYS].sort());
    expect(report.inScopeTotal).toBe(38);
    expect(report.oosTotal).toBe(2);
    expect(report.recallAt1).toBeGreaterThan(0);
    expect(report.recallAt3).toBeGreaterThanOrEqual(report.recallAt1);
  });

  it('names the file and line of a broken query set and exits 1', async () => {
    const dir = tempDir();
    const file = join(dir, 'broken.jsonl');
    writeFileSync(file, '{"query":"Reisepass","expected":["1063453"]}\nnot json\n');
    const r = await cli(['eval', file, '--json'], { LOTSE_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain(`${file}:2`);
  });

  it('reports a query file that cannot be read and exits 1', async () => {
    const dir = tempDir();
    const r = await cli(['eval', join(dir, 'nope.jsonl')], { LOTSE_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain('nope.jsonl');
  });
});

describe('lotse import dldb', () => {
  function writeExport(dir: string): { services: string; locations: string } {
    const services = join(dir, 'services.json');
    const locations = join(dir, 'locations.json');
    writeFileSync(
      services,
      JSON.stringify({
        data: [
          dldbService('a1', {
            name: 'Drachenflugschein beantragen',
            description: '<p>Den Drachenflugschein beantragen Sie beim Luftamt.</p>',
            meta: { keywords: 'Drachen, Flugschein' },
            locations: [{ location: 'L1' }],
          }),
          dldbService('a2', { name: 42 }),
          dldbService('a3', { name: 'Zauberstablizenz', locations: 'Rathaus' }),
          dldbService('a4', { name: 'Einhornhaltung anzeigen' }),
        ],
      }),
    );
    writeFileSync(locations, JSON.stringify({ data: [{ id: 'L1', name: 'Luftamt' }] }));
    return { services, locations };
  }

  it('imports the good records, lists the bad ones on stderr and exits 0', async () => {
    const dir = tempDir();
    const files = writeExport(dir);
    const env = { LOTSE_DATA_DIR: dir };
    const r = await cli(
      ['import', 'dldb', '--services', files.services, '--locations', files.locations],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.err).toHaveLength(2);
    expect(r.err[0]).toContain(files.services);
    expect(r.err[0]).toContain('record a2');
    expect(r.err[0]).toContain('field "name"');
    expect(r.err[1]).toContain('record a3');
    expect(r.err[1]).toContain('field "locations"');
    expect(r.out.join('\n')).toMatch(/Imported 2 services .*2 records skipped/);
    expect(existsSync(join(dir, 'catalogue.json'))).toBe(true);

    const found = await cli(['search', 'Drachenflugschein', '--json'], env);
    expect(JSON.parse(found.out[0]!).results[0]).toMatchObject({ id: 'a1' });
    const other = await cli(['search', 'Einhornhaltung', '--json'], env);
    expect(JSON.parse(other.out[0]!).results[0]).toMatchObject({ id: 'a4' });
  });

  it('replaces the demo catalogue: demo services are no longer found', async () => {
    const dir = tempDir();
    const files = writeExport(dir);
    const env = { LOTSE_DATA_DIR: dir };
    await cli(['import', 'dldb', '--services', files.services], env);
    const r = await cli(['search', 'Personalausweis', '--json'], env);
    expect(JSON.parse(r.out[0]!).results.map((x: { id: string }) => x.id)).not.toContain('1063441');
  });

  it('fails with exit code 1 naming a services file that is not JSON', async () => {
    const dir = tempDir();
    const file = join(dir, 'services.json');
    writeFileSync(file, '<html>not json</html>');
    const r = await cli(['import', 'dldb', '--services', file], { LOTSE_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain(file);
    expect(existsSync(join(dir, 'catalogue.json'))).toBe(false);
  });

  it('fails with exit code 1 and leaves the data directory alone when no record is usable', async () => {
    const dir = tempDir();
    const file = join(dir, 'services.json');
    writeFileSync(file, JSON.stringify({ data: [{ id: 'x', name: 1 }] }));
    const r = await cli(['import', 'dldb', '--services', file], { LOTSE_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain('no usable service');
    expect(existsSync(join(dir, 'catalogue.json'))).toBe(false);
  });

  it('requires --services and a known format', async () => {
    const env = { LOTSE_DATA_DIR: tempDir() };
    const missing = await cli(['import', 'dldb'], env);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('--services is required');
    const format = await cli(['import', 'csv'], env);
    expect(format.code).toBe(2);
    expect(format.err.join('\n')).toContain('"csv"');
  });
});

describe('serve with an unreachable Redis', () => {
  it('stops at once with a coded message that names no password', async () => {
    const run = await cli(['serve'], {
      LOTSE_DATA_DIR: tempDir(),
      LOG_LEVEL: 'silent',
      PORT: '0',
      REDIS_URL: 'redis://:geheim@127.0.0.1:1',
    });
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/redis/i);
    expect(run.err.join('\n')).not.toContain('geheim');
  });
});
