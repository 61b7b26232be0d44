/**
 * `lotse staff add|list|disable`: staff accounts for the console are managed on the server, so a
 * password never passes through a browser form or a command line (where `ps` and shell history
 * would keep it): `add` reads it from standard input and never prints it.
 */
import { parseArgs } from 'node:util';
import { hashPassword, DEFAULT_SCRYPT_PARAMS, type ScryptParams } from '../staff/auth/password.js';
import { normaliseUsername } from '../staff/auth/username.js';
import type { StaffAccountStore, StaffRole, StaffSessionStore } from '../../storage/types.js';
import { required } from './args.js';
import { EXIT, UsageError, type Io } from './io.js';

export const STAFF_USAGE = `lotse staff add --user NAME --role agent|editor|admin [--name "Anna Beispiel"] --password-stdin
lotse staff list [--json]
lotse staff disable --user NAME`;

const ROLES: readonly StaffRole[] = ['agent', 'editor', 'admin'];
/** Lower-case letters, digits and . _ @ - (an e-mail address works), up to 64 characters. */
const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

export interface StaffCommandDeps {
  stores: { staffAccounts: StaffAccountStore; staffSessions: StaffSessionStore };
  /** The password piped in (see `readPipedStdin`). */
  readPassword: () => Promise<string>;
  /** scrypt cost; tests only. */
  passwordParams?: ScryptParams;
}

/** Runs a `staff` subcommand and returns the exit code. */
export async function staffCommand(
  args: string[],
  deps: StaffCommandDeps,
  io: Io,
): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case 'add':
      return add(rest, deps, io);
    case 'list':
      return list(rest, deps.stores.staffAccounts, io);
    case 'disable':
      return disable(rest, deps.stores, io);
    default:
      throw new UsageError(
        `staff needs a subcommand (add, list or disable), got ${JSON.stringify(subcommand ?? '')}\n${STAFF_USAGE}`,
      );
  }
}

function username(raw: string | undefined): string {
  const name = normaliseUsername(required('--user', raw));
  if (!USERNAME.test(name)) {
    throw new UsageError(
      `--user must be 1–64 letters, digits or . _ @ - starting with a letter or digit, got ${JSON.stringify(raw)}`,
    );
  }
  return name;
}

async function add(args: string[], deps: StaffCommandDeps, io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      user: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  const user = username(values.user);
  const role = required('--role', values.role) as StaffRole;
  if (!ROLES.includes(role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`);
  }
  const displayName = values.name?.trim();
  if (values.name !== undefined && (!displayName || displayName.length > 100)) {
    throw new UsageError('--name must be 1–100 characters');
  }
  if (!values['password-stdin']) {
    throw new UsageError(
      `staff add reads the password from standard input: pass --password-stdin\n${STAFF_USAGE}`,
    );
  }
  // One trailing line break is what `echo` or a here-string adds; it is not part of the password.
  const password = (await deps.readPassword()).replace(/\r?\n$/, '');
  if (!password) {
    io.err('lotse: no password on standard input');
    return EXIT.failure;
  }
  if ([...password].length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    io.err(
      `lotse: the password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long`,
    );
    return EXIT.failure;
  }
  const { staffAccounts, staffSessions } = deps.stores;
  const existing = await staffAccounts.get(user);
  const existed = existing !== undefined;
  // The store replaces the display name; without --name the account keeps the one it has.
  const name = displayName ?? existing?.displayName;
  await staffAccounts.upsert({
    username: user,
    role,
    ...(name ? { displayName: name } : {}),
    passwordHash: await hashPassword(password, deps.passwordParams ?? DEFAULT_SCRYPT_PARAMS),
  });
  // A new password ends the sessions opened with the old one.
  const ended = existed ? await staffSessions.deleteForUser(user) : 0;
  io.out(
    existed
      ? `Updated staff account ${user} (${role}); ${ended} session(s) ended.`
      : `Created staff account ${user} (${role}).`,
  );
  return EXIT.ok;
}

async function list(args: string[], accounts: StaffAccountStore, io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const all = await accounts.list();
  const rows = all.map((a) => ({
    username: a.username,
    displayName: a.displayName ?? null,
    role: a.role,
    status: a.disabledAt ? 'disabled' : 'active',
    createdAt: a.createdAt,
  }));
  if (values.json) {
    io.out(JSON.stringify(rows));
    return EXIT.ok;
  }
  if (rows.length === 0) {
    io.out(
      'No staff accounts yet. Create one with: lotse staff add --user NAME --role admin --password-stdin',
    );
    return EXIT.ok;
  }
  io.out(['username', 'name', 'role', 'status', 'created'].join('\t'));
  for (const row of rows) {
    io.out([row.username, row.displayName ?? '-', row.role, row.status, row.createdAt].join('\t'));
  }
  return EXIT.ok;
}

async function disable(
  args: string[],
  stores: StaffCommandDeps['stores'],
  io: Io,
): Promise<number> {
  const { values } = parseArgs({ args, options: { user: { type: 'string' } } });
  const user = username(values.user);
  if (!(await stores.staffAccounts.disable(user))) {
    io.err(`lotse: no staff account ${JSON.stringify(user)}`);
    return EXIT.failure;
  }
  const ended = await stores.staffSessions.deleteForUser(user);
  io.out(`Disabled staff account ${user}; ${ended} session(s) ended.`);
  return EXIT.ok;
}

/**
 * Reads standard input to its end. Refuses a terminal: typing there would show the password, so
 * pipe it in (`printf '%s' "$PASSWORD" | lotse staff add … --password-stdin`).
 */
export async function readPipedStdin(
  stdin: NodeJS.ReadStream = process.stdin,
  maxBytes = 4096,
): Promise<string> {
  if (stdin.isTTY) {
    throw new UsageError(
      '--password-stdin reads a pipe, not the terminal (it would show the password): printf \'%s\' "$PASSWORD" | lotse staff add …',
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes)
      throw new UsageError(`the password on standard input is over ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
