/** `lotse staff add|list|disable` (channels/cli/staff.ts). */
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../channels/cli/main.js';
import { UsageError } from '../../../channels/cli/io.js';
import { readPipedStdin, staffCommand } from '../../../channels/cli/staff.js';
import { verifyPassword } from '../../../channels/staff/auth/password.js';
import { openStores, type Stores } from '../../../storage/open-store.js';
import { tempDir } from '../../knowledge/fixtures.js';
import { FAST_SCRYPT } from '../staff/auth/console-app.js';

const PASSWORD = 'ein-sehr-langes-passwort';
let stores: Stores;

beforeEach(async () => {
  stores = await openStores({ dataDir: ':memory:' });
});
afterEach(() => stores.close());

async function staff(args: string[], stdin = `${PASSWORD}\n`, fast = true) {
  const out: string[] = [];
  const err: string[] = [];
  let read = 0;
  const code = await staffCommand(
    args,
    {
      stores,
      readPassword: async () => {
        read++;
        return stdin;
      },
      ...(fast ? { passwordParams: FAST_SCRYPT } : {}),
    },
    { out: (s) => void out.push(s), err: (s) => void err.push(s) },
  );
  return { code, out, err, read };
}

describe('lotse staff add', () => {
  it('creates an account with the password from standard input, hashed with scrypt', async () => {
    const r = await staff(
      ['add', '--user', 'Anna', '--role', 'agent', '--name', 'Anna Beispiel', '--password-stdin'],
      `${PASSWORD}\n`,
      false,
    );
    expect(r).toMatchObject({ code: 0, err: [], out: ['Created staff account anna (agent).'] });
    const account = (await stores.staffAccounts.get('anna'))!;
    expect(account).toMatchObject({
      username: 'anna',
      role: 'agent',
      displayName: 'Anna Beispiel',
    });
    expect(account.passwordHash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$/);
    expect(await verifyPassword(PASSWORD, account.passwordHash)).toBe(true);
    // Never echoed.
    expect([...r.out, ...r.err].join('\n')).not.toContain(PASSWORD);
  });

  it('keeps everything but one trailing line break as the password', async () => {
    await staff(
      ['add', '--user', 'emil', '--role', 'editor', '--password-stdin'],
      ' mit Leerzeichen \r\n',
    );
    const { passwordHash } = (await stores.staffAccounts.get('emil'))!;
    expect(await verifyPassword(' mit Leerzeichen ', passwordHash, FAST_SCRYPT)).toBe(true);
  });

  it('updates an existing account and ends its sessions', async () => {
    await staff(['add', '--user', 'anna', '--role', 'agent', '--password-stdin']);
    await stores.staffSessions.create({
      idHash: 'h',
      username: 'anna',
      csrfToken: 't',
      createdAt: '2026-03-02T08:00:00.000Z',
      lastSeenAt: '2026-03-02T08:00:00.000Z',
      expiresAt: '2026-03-02T20:00:00.000Z',
    });
    const r = await staff(
      ['add', '--user', 'anna', '--role', 'admin', '--password-stdin'],
      'ein-ganz-neues-passwort',
    );
    expect(r.out).toEqual(['Updated staff account anna (admin); 1 session(s) ended.']);
    expect(await stores.staffSessions.get('h')).toBeUndefined();
    expect((await stores.staffAccounts.get('anna'))!.role).toBe('admin');
  });

  it('keeps the display name of an existing account when --name is not given', async () => {
    const add = (extra: string[]) =>
      staff(['add', '--user', 'anna', '--role', 'agent', ...extra, '--password-stdin']);
    await add(['--name', 'Anna, Service-Team']);
    expect((await add([])).code).toBe(0);
    expect((await stores.staffAccounts.get('anna'))!.displayName).toBe('Anna, Service-Team');
    await add(['--name', 'Anna B.']);
    expect((await stores.staffAccounts.get('anna'))!.displayName).toBe('Anna B.');
  });

  it('refuses an empty or short password with exit code 1 and stores nothing', async () => {
    for (const [stdin, message] of [
      ['', 'lotse: no password on standard input'],
      ['\n', 'lotse: no password on standard input'],
      ['elf-zeichen', 'lotse: the password must be 12 to 1024 characters long'],
    ] as const) {
      const r = await staff(
        ['add', '--user', 'anna', '--role', 'agent', '--password-stdin'],
        stdin,
      );
      expect(r.code).toBe(1);
      expect(r.err).toEqual([message]);
    }
    expect(await stores.staffAccounts.list()).toEqual([]);
  });

  it('needs --password-stdin, a valid user name and a known role (usage errors)', async () => {
    const cases = [
      ['add', '--user', 'anna', '--role', 'agent'],
      ['add', '--role', 'agent', '--password-stdin'],
      ['add', '--user', 'anna', '--role', 'chef', '--password-stdin'],
      ['add', '--user', 'anna maria', '--role', 'agent', '--password-stdin'],
      ['add', '--user', '.anna', '--role', 'agent', '--password-stdin'],
      ['add', '--user', 'anna', '--role', 'agent', '--name', ' ', '--password-stdin'],
    ];
    for (const args of cases) {
      await expect(staff(args), args.join(' ')).rejects.toBeInstanceOf(UsageError);
    }
    expect(await stores.staffAccounts.list()).toEqual([]);
  });
});

describe('lotse staff list and disable', () => {
  beforeEach(async () => {
    await staff([
      'add',
      '--user',
      'anna',
      '--role',
      'agent',
      '--name',
      'Anna B.',
      '--password-stdin',
    ]);
    await staff(['add', '--user', 'ada', '--role', 'admin', '--password-stdin']);
  });

  it('lists accounts with role and status, without hashes', async () => {
    const r = await staff(['list']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('username\tname\trole\tstatus\tcreated');
    expect(r.out[1]).toMatch(/^ada\t-\tadmin\tactive\t\d{4}-/);
    expect(r.out[2]).toMatch(/^anna\tAnna B\.\tagent\tactive\t/);
    expect(r.out.join('\n')).not.toContain('scrypt');
    expect(r.read).toBe(0);
  });

  it('disables an account, ends its sessions and shows it as disabled', async () => {
    await stores.staffSessions.create({
      idHash: 'h',
      username: 'anna',
      csrfToken: 't',
      createdAt: '2026-03-02T08:00:00.000Z',
      lastSeenAt: '2026-03-02T08:00:00.000Z',
      expiresAt: '2026-03-02T20:00:00.000Z',
    });
    const r = await staff(['disable', '--user', 'anna']);
    expect(r).toMatchObject({ code: 0, out: ['Disabled staff account anna; 1 session(s) ended.'] });
    expect(await stores.staffSessions.get('h')).toBeUndefined();
    const list = await staff(['list', '--json']);
    expect(JSON.parse(list.out[0]!)).toEqual([
      expect.objectContaining({ username: 'ada', status: 'active' }),
      expect.objectContaining({ username: 'anna', status: 'disabled', displayName: 'Anna B.' }),
    ]);
  });

  it('fails with exit code 1 for an unknown account', async () => {
    const r = await staff(['disable', '--user', 'niemand']);
    expect(r).toMatchObject({ code: 1, err: ['lotse: no staff account "niemand"'] });
  });
});

describe('reading the password', () => {
  it('reads a pipe to its end', async () => {
    const pipe = new PassThrough();
    pipe.end(`${PASSWORD}\n`);
    expect(await readPipedStdin(pipe as unknown as NodeJS.ReadStream)).toBe(`${PASSWORD}\n`);
  });

  it('refuses a terminal, where typing would show the password, and oversized input', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    await expect(readPipedStdin(tty as unknown as NodeJS.ReadStream)).rejects.toBeInstanceOf(
      UsageError,
    );
    const big = new PassThrough();
    big.end('x'.repeat(5000));
    await expect(readPipedStdin(big as unknown as NodeJS.ReadStream)).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});

describe('lotse staff through the CLI entry point', () => {
  it('lists from the configured data directory and explains a missing subcommand', async () => {
    const env = { LOTSE_DATA_DIR: tempDir() };
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) };
    expect(await runCli(['staff', 'list'], io, env)).toBe(0);
    expect(out[0]).toContain('No staff accounts yet');
    expect(await runCli(['staff'], io, env)).toBe(2);
    expect(err.join('\n')).toContain('staff needs a subcommand');
  });
});
