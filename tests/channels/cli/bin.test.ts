import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../knowledge/fixtures.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('the lotse bin', () => {
  it('runs a search from a fresh checkout with node alone, as `npx lotse` does', async () => {
    const { stdout } = await run('node', ['bin/lotse.js', 'search', '--json', 'Gewerbe anmelden'], {
      cwd: ROOT,
      env: { ...process.env, LOTSE_DATA_DIR: tempDir() },
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]!);
    expect(json.query).toBe('Gewerbe anmelden');
    expect(json.abstained).toBe(false);
    expect(json.results[0]).toMatchObject({ id: '1063423', name: 'Gewerbe-Anmeldung' });
  });

  it('exits with code 2 for an unknown command', async () => {
    const error = await run('node', ['bin/lotse.js', 'frobnicate'], {
      cwd: ROOT,
      env: { ...process.env, LOTSE_DATA_DIR: tempDir() },
    }).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toContain('unknown command "frobnicate"');
  });
});
