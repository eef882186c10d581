import * as os from 'node:os';
import { Argument, Command, Option } from 'commander';
import pino, { type Logger } from 'pino';
import { ConfigError, loadConfig, type Config, type Tlp } from '../config/config';
import { TLP_LEVELS } from '../domain/tlp';
import { createRuntime, findCollection, StartupError, type Runtime } from '../server';
import { hashPassword } from '../taxii/services/auth-service';
import { parseExpiry, tokenPrincipalId, userPrincipalId } from '../taxii/token-service';
import { EXIT } from './exit';

/** Where the admin commands read and write; the defaults are the process's, tests pass their own. */
export interface AdminIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /** All of standard input (for --password-stdin). */
  readStdin: () => Promise<string>;
  /** Asks for a secret without echo; undefined when there is no terminal to ask on. */
  prompt: (question: string) => Promise<string | undefined>;
  log?: Logger;
  /** Records a failure exit status (the process's exitCode by default). */
  fail?: (code: number) => void;
}

class CliError extends Error {}

const PASSWORD_ENV = 'TAXII_USER_PASSWORD';
const MIN_PASSWORD = 8;

export const defaultIo: AdminIo = {
  env: process.env,
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  prompt: (q) => promptHidden(q),
};

/** Shown by --help of every access-control command and subcommand. */
const EXAMPLES = `
Examples:
  $ printf '%s\\n' 'acme-partner-passphrase' | dprk-taxii user add acme-cert --password-stdin --tlp green
  $ dprk-taxii grant acme-cert dprk-crypto-indicators read
  $ dprk-taxii token create acme-siem --user acme-cert --expires 90d   # the token is printed once
  $ dprk-taxii user list
  $ dprk-taxii token list
  $ dprk-taxii user set-clearance acme-cert amber
  $ dprk-taxii revoke acme-cert dprk-crypto-indicators                 # every right on that collection
  $ dprk-taxii token revoke acme-siem
  $ dprk-taxii user disable acme-cert
  $ dprk-taxii audit list --since 1d`;

/** A user error of a command: the line to print and the exit status. */
export interface CommandFailure {
  message: string;
  code: number;
}

/** Usage, configuration and start-up errors: one line, exit 2, for every command that opens the runtime. */
export function usageFailure(e: unknown): CommandFailure | undefined {
  return e instanceof CliError || e instanceof ConfigError || e instanceof StartupError ? { message: e.message, code: EXIT.usage } : undefined;
}

/**
 * Wraps a command's action: opens the runtime, runs the action, closes the runtime; an error that
 * `failure` recognises becomes one line on standard error and its exit status, anything else propagates.
 */
export function withRuntime(io: AdminIo, failure: (e: unknown) => CommandFailure | undefined = usageFailure) {
  return <A extends unknown[]>(fn: (rt: Runtime, ...args: A) => Promise<void>) =>
    async (...args: A) => {
      let rt: Runtime | undefined;
      try {
        rt = await openRuntime(io);
        await fn(rt, ...args);
      } catch (e) {
        const f = failure(e);
        if (!f) throw e;
        io.err(`error: ${f.message}`);
        (io.fail ?? ((code: number) => (process.exitCode = code)))(f.code);
      } finally {
        await rt?.close();
      }
    };
}

/** user, token, grant, revoke and audit commands (docs/access-control.md). */
export function registerAdminCommands(program: Command, io: AdminIo = defaultIo): void {
  const run = withRuntime(io);
  const actor = () => `cli:${safeOsUser()}`;
  const tlpOption = (what: string) =>
    new Option('--tlp <level>', `highest TLP ${what} may read`).choices([...TLP_LEVELS]).default('clear');

  const user = program.command('user').description('manage password (and client-certificate) users');
  user
    .command('add')
    .description(
      `create a user. The password comes from --password-stdin, else ${PASSWORD_ENV}, else a prompt on the terminal; ` +
        '--password puts it on the command line (visible in the process list and shell history).',
    )
    .argument('<username>')
    .option('--password-stdin', 'read the password from standard input')
    .option('--password <password>', 'the password itself (avoid: visible to other local users)')
    .option('--admin', 'administrator: every collection, every right, no TLP limit', false)
    .addOption(tlpOption('the user'))
    .option('--cert-subject <cn>', 'also (or only) authenticate TLS client certificates whose subject CN is this')
    .option('--no-password', 'no password at all: the user authenticates only with its client certificate (--cert-subject) or with API tokens created for it (token create <name> --user <username>)')
    .action(
      run(async (rt, username: string, o: { passwordStdin?: boolean; password?: string | boolean; admin: boolean; tlp: Tlp; certSubject?: string }) => {
        if (!/^[^\s:]{1,128}$/.test(username)) throw new CliError('a username is 1-128 characters without spaces or ":"');
        if (await rt.stores.users.findByName(username)) throw new CliError(`user "${username}" already exists (see: user list)`);
        if (o.password === false && o.passwordStdin) throw new CliError('--no-password and --password-stdin contradict each other; give one of them');
        const password = o.password === false ? undefined : await obtainPassword(io, o);
        if (password === undefined && o.password !== false) throw new CliError('no password given (use --password-stdin, set TAXII_USER_PASSWORD, or run on a terminal to be prompted)');
        if (password !== undefined && password.length < MIN_PASSWORD) throw new CliError(`the password must be at least ${MIN_PASSWORD} characters long`);
        const created = await rt.stores.users.upsert({
          username,
          passwordHash: password === undefined ? '!' : await hashPassword(password),
          isAdmin: o.admin,
          maxTlp: o.admin ? 'red' : o.tlp,
        });
        if (o.certSubject) await rt.stores.principals.setCertSubject(created.id, o.certSubject);
        await rt.services.audit.record(actor(), 'user.add', username, {
          remoteAddr: 'local',
          details: { admin: o.admin, tlp: created.maxTlp, cert_subject: o.certSubject, password: password !== undefined },
        });
        io.out(`created user ${username} (${o.admin ? 'administrator' : `clearance TLP:${created.maxTlp.toUpperCase()}`}); grant it collections with: grant ${username} <collection> read`);
        // Without a password (its hash is "!", which no password verifies) nor a certificate, only tokens authenticate it.
        if (password === undefined && !o.certSubject) io.out(`${username} has no password and no certificate: it authenticates only with tokens, e.g. token create <name> --user ${username}`);
      }),
    );
  user
    .command('list')
    .description('list users with their clearance and state')
    .action(
      run(async (rt) => {
        const subjects = await rt.stores.principals.certSubjects();
        const users = await rt.stores.users.list();
        if (!users.length) return io.out('no users');
        for (const u of users) {
          const cert = subjects.get(u.id);
          io.out(`${u.username}\t${u.isAdmin ? 'admin' : 'user'}\tTLP:${u.maxTlp.toUpperCase()}\t${u.disabled ? 'disabled' : 'enabled'}${cert ? `\tcert CN=${cert}` : ''}`);
        }
      }),
    );
  user
    .command('disable')
    .description('disable a user: its password, certificate and tokens stop working at once')
    .argument('<username>')
    .action(
      run(async (rt, username: string) => {
        if (!(await rt.stores.users.setDisabled(username, true))) throw new CliError(`no user "${username}" (see: user list)`);
        await rt.services.audit.record(actor(), 'user.disable', username, { remoteAddr: 'local' });
        io.out(`disabled user ${username}`);
      }),
    );

  user
    .command('enable')
    .description('enable a disabled user again: its password, certificate and unexpired tokens work from the next request')
    .argument('<username>')
    .action(
      run(async (rt, username: string) => {
        if (!(await rt.stores.users.setDisabled(username, false))) throw new CliError(`no user "${username}" (see: user list)`);
        await rt.services.audit.record(actor(), 'user.enable', username, { remoteAddr: 'local' });
        io.out(`enabled user ${username}`);
      }),
    );
  user
    .command('set-password')
    .description(
      `replace a user's password; the old one stops working on the next request. The password comes from --password-stdin, ` +
        `else ${PASSWORD_ENV}, else a prompt on the terminal.`,
    )
    .argument('<username>')
    .option('--password-stdin', 'read the password from standard input')
    .option('--password <password>', 'the password itself (avoid: visible to other local users)')
    .action(
      run(async (rt, username: string, o: { passwordStdin?: boolean; password?: string }) => {
        if (!(await rt.stores.users.findByName(username))) throw new CliError(`no user "${username}" (see: user list)`);
        const password = await obtainPassword(io, o);
        if (password === undefined) throw new CliError('no password given (use --password-stdin, set TAXII_USER_PASSWORD, or run on a terminal to be prompted)');
        if (password.length < MIN_PASSWORD) throw new CliError(`the password must be at least ${MIN_PASSWORD} characters long`);
        await rt.stores.users.setPasswordHash(username, await hashPassword(password));
        await rt.services.audit.record(actor(), 'user.set-password', username, { remoteAddr: 'local' });
        io.out(`set a new password for user ${username}`);
      }),
    );
  user
    .command('set-clearance')
    .description("change the highest TLP a user (and the tokens acting as it) may read; applies from the next request")
    .argument('<username>')
    .addArgument(new Argument('<level>', 'TLP level').choices([...TLP_LEVELS]))
    .action(
      run(async (rt, username: string, level: Tlp) => {
        const u = await rt.stores.users.findByName(username);
        if (!u) throw new CliError(`no user "${username}" (see: user list)`);
        if (u.isAdmin) throw new CliError(`user "${username}" is an administrator, which reads every TLP level`);
        await rt.stores.users.setMaxTlp(username, level);
        await rt.services.audit.record(actor(), 'user.set-clearance', username, { remoteAddr: 'local', details: { from: u.maxTlp, to: level } });
        io.out(`user ${username} may now read up to TLP:${level.toUpperCase()}`);
      }),
    );

  const token = program.command('token').description('manage API tokens (Authorization: Bearer, Token, or the Basic password)');
  token
    .command('create')
    .description('create a token and print it once; only its SHA-256 hash is stored')
    .argument('<name>', 'a unique name for the token, e.g. the partner or SIEM it is for')
    .option('--user <username>', 'the token acts as this user (its grants, statuses and clearance); without it, a standalone service principal')
    .addOption(new Option('--tlp <level>', 'highest TLP the token may read (for a user token: lowers the user\'s clearance)').choices([...TLP_LEVELS]))
    .option('--expires <when>', 'expiry: ISO date/time (2026-12-31) or a duration (90m, 12h, 30d, 2w)')
    .action(
      run(async (rt, name: string, o: { user?: string; tlp?: Tlp; expires?: string }) => {
        if (!/^[^\s:]{1,128}$/.test(name)) throw new CliError('a token name is 1-128 characters without spaces or ":"');
        const expiresAtMs = o.expires === undefined ? undefined : tokenExpiry(o.expires);
        if (await rt.stores.principals.findTokenByName(name)) throw new CliError(`a token named "${name}" already exists (see: token list)`);
        let userId: string | undefined;
        if (o.user) {
          const u = await rt.stores.users.findByName(o.user);
          if (!u) throw new CliError(`no user "${o.user}" (see: user list)`);
          if (u.disabled) throw new CliError(`user "${o.user}" is disabled`);
          userId = u.id;
        }
        const { token: t, secret } = await rt.services.tokens.create({ name, userId, maxTlp: o.tlp ?? (userId ? undefined : 'clear'), expiresAtMs });
        await rt.services.audit.record(actor(), 'token.create', name, {
          remoteAddr: 'local',
          details: { user: o.user, tlp: t.maxTlp, expires: t.expiresAtMs ? new Date(t.expiresAtMs).toISOString() : undefined, hint: t.hint },
        });
        io.err(`created token ${name}${o.user ? ` for user ${o.user}` : ` (standalone, clearance TLP:${(t.maxTlp ?? 'clear').toUpperCase()}; grant it collections with: grant token:${name} <collection> read)`}` +
          `${t.expiresAtMs ? `, expires ${new Date(t.expiresAtMs).toISOString()}` : ''}. It is shown only now; store it safely:`);
        io.out(secret);
      }),
    );
  token
    .command('list')
    .description('list tokens (never the secrets): name, start of the token, owner, clearance, expiry, last use')
    .action(
      run(async (rt) => {
        const tokens = await rt.stores.principals.listTokens();
        if (!tokens.length) return io.out('no tokens');
        // A row written by another tool (or by an earlier build that took any duration) may hold a time no
        // Date can represent: show the stored number rather than fail the whole list.
        const iso = (ms?: number) => (ms === undefined ? '-' : Number.isNaN(new Date(ms).getTime()) ? `${ms} (not a valid time)` : new Date(ms).toISOString());
        for (const t of tokens) {
          const state = t.revokedAtMs ? 'revoked' : t.expiresAtMs && t.expiresAtMs <= Date.now() ? 'expired' : 'active';
          io.out(`${t.name}\t${t.hint}…\t${t.username ? `user ${t.username}` : 'standalone'}\t${t.maxTlp ? `TLP:${t.maxTlp.toUpperCase()}` : '(user clearance)'}\texpires ${iso(t.expiresAtMs)}\tlast used ${iso(t.lastUsedAtMs)}\t${state}`);
        }
      }),
    );
  token
    .command('revoke')
    .description('revoke a token; it stops working on the next request')
    .argument('<name>')
    .action(
      run(async (rt, name: string) => {
        if (!(await rt.stores.principals.revokeToken(name, Date.now()))) throw new CliError(`no active token "${name}" (see: token list)`);
        await rt.services.audit.record(actor(), 'token.revoke', name, { remoteAddr: 'local' });
        io.out(`revoked token ${name}`);
      }),
    );

  const rightArg = (required: boolean) => {
    const a = program.createArgument(required ? '<right>' : '[right]', 'read, write, or curator (may approve reviewed submissions into the collection)').choices(['read', 'write', 'curator']);
    return a;
  };
  program
    .command('grant')
    .description('give a user (name or user:<name>) or a standalone token (token:<name>) read, write or curator on a collection')
    .argument('<principal>')
    .argument('<collection>', 'collection id or alias')
    .addArgument(rightArg(true))
    .action(
      run(async (rt, who: string, coll: string, right: 'read' | 'write' | 'curator') => {
        const p = await resolvePrincipal(rt, who);
        const c = collectionOrFail(rt.config, coll);
        const g = await rt.stores.principals.grant(p.id, c.id, { [rightKey(right)]: true });
        await rt.services.audit.record(actor(), 'grant', `${p.label} on ${c.id}`, { remoteAddr: 'local', details: { right, read: g.read, write: g.write, curator: Boolean(g.curate) } });
        io.out(`${p.label} on ${coll}: can_read=${g.read} can_write=${g.write}${g.curate ? ' curator=true' : ''}`);
      }),
    );
  program
    .command('revoke')
    .description('take read, write or curator (or, without a right, every right) on a collection away from a principal')
    .argument('<principal>')
    .argument('<collection>', 'collection id or alias')
    .addArgument(rightArg(false))
    .action(
      run(async (rt, who: string, coll: string, right: 'read' | 'write' | 'curator' | undefined) => {
        const p = await resolvePrincipal(rt, who);
        const c = collectionOrFail(rt.config, coll);
        const r = await rt.stores.principals.revoke(p.id, c.id, right ? { [rightKey(right)]: true } : undefined);
        if (!r.existed) throw new CliError(`${p.label} has no grant on ${coll}`);
        await rt.services.audit.record(actor(), 'revoke', `${p.label} on ${c.id}`, { remoteAddr: 'local', details: { right: right ?? 'all' } });
        io.out(`${p.label} on ${coll}: can_read=${r.left?.read ?? false} can_write=${r.left?.write ?? false}${r.left?.curate ? ' curator=true' : ''}`);
      }),
    );

  const audit = program.command('audit').description('the audit log of writes, deletes and access-control changes');
  audit
    .command('list')
    .description('print audit entries, newest first')
    .option('--since <when>', 'only entries at or after this ISO date/time, or this long ago (90m, 12h, 30d)')
    .option('--limit <n>', 'at most this many entries', '100')
    .action(
      run(async (rt, o: { since?: string; limit: string }) => {
        if (!/^\d+$/.test(o.limit) || Number(o.limit) < 1) throw new CliError('--limit must be a positive integer');
        const sinceMs = o.since ? parseSince(o.since) : undefined;
        const entries = await rt.services.audit.list({ sinceMs, limit: Number(o.limit) });
        if (!entries.length) return io.out('no audit entries');
        for (const e of entries) {
          io.out(`${new Date(e.atMs).toISOString()}\t${e.actor}\t${e.action}\t${e.target ?? ''}\t${e.remoteAddr ?? ''}${e.details ? `\t${JSON.stringify(e.details)}` : ''}`);
        }
      }),
    );

  const collection = program.command('collection').description('the configured collections and how they treat readers (set in the configuration file)');
  collection
    .command('list')
    .description('print each collection with public, default_tlp, omit_relationships_to_hidden and granular_markings (docs/access-control.md)')
    .option('--json', 'one JSON array instead of lines', false)
    .action(async (o: { json: boolean }) => {
      let config: Config;
      try {
        config = loadConfig({ ...io.env, TAXII_SEED: 'false' });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        io.err(`error: ${e.message}`);
        return (io.fail ?? ((c: number) => (process.exitCode = c)))(EXIT.usage);
      }
      const rows = config.apiRoots.flatMap((r) =>
        r.collections.map((c) => ({
          api_root: r.path,
          id: c.id,
          alias: c.alias ?? null,
          public: c.public,
          default_tlp: c.defaultTlp ?? 'amber',
          omit_relationships_to_hidden: c.omitRelationshipsToHidden ?? false,
          granular_markings: c.granularMarkings ?? 'redact',
        })),
      );
      if (o.json) return io.out(JSON.stringify(rows, null, 2));
      for (const c of rows) {
        io.out(`${c.api_root}\t${c.alias ?? c.id}\tpublic=${c.public}\tdefault_tlp=${c.default_tlp}\tomit_relationships_to_hidden=${c.omit_relationships_to_hidden}\tgranular_markings=${c.granular_markings}`);
      }
    });

  for (const c of program.commands.filter((c) => ['user', 'token', 'grant', 'revoke', 'audit'].includes(c.name()))) {
    for (const sub of [c, ...c.commands.filter((s) => s.name() !== 'help')]) sub.addHelpText('after', EXAMPLES);
  }
}

/** The grant flag a right named on the command line sets. */
function rightKey(right: 'read' | 'write' | 'curator'): 'read' | 'write' | 'curate' {
  return right === 'curator' ? 'curate' : right;
}

export async function openRuntime(io: AdminIo): Promise<Runtime> {
  const config = loadConfig({ ...io.env, TAXII_SEED: 'false' });
  return createRuntime(config, { log: io.log ?? pino({ level: 'warn' }, pino.destination(2)) });
}

function collectionOrFail(config: Config, idOrAlias: string): { root: string; id: string } {
  const c = findCollection(config, idOrAlias);
  if (!c) {
    const known = config.apiRoots.flatMap((r) => r.collections.map((x) => x.alias ?? x.id)).join(', ');
    throw new CliError(`no collection "${idOrAlias}" is configured; the configured ones are: ${known || '(none)'}`);
  }
  return c;
}

async function resolvePrincipal(rt: Runtime, who: string): Promise<{ id: string; label: string }> {
  const m = /^(user|token):(.+)$/.exec(who);
  const kind = m?.[1];
  const name = m ? m[2]! : who;
  if (kind !== 'token') {
    const u = await rt.stores.users.findByName(name);
    if (u) return { id: userPrincipalId(u.id), label: `user ${name}` };
    if (kind === 'user') throw new CliError(`no user "${name}" (see: user list)`);
  }
  const t = await rt.stores.principals.findTokenByName(name);
  if (!t) throw new CliError(`no user or token named "${name}" (see: user list, token list)`);
  if (t.userId) throw new CliError(`token "${name}" acts as user ${t.username}; grant rights to the user instead`);
  return { id: tokenPrincipalId(t.id), label: `token ${name}` };
}

async function obtainPassword(io: AdminIo, o: { passwordStdin?: boolean; password?: string | boolean }): Promise<string | undefined> {
  if (typeof o.password === 'string') return o.password;
  if (o.passwordStdin) return (await io.readStdin()).replace(/\r?\n$/, '');
  if (io.env[PASSWORD_ENV]) return io.env[PASSWORD_ENV];
  const first = await io.prompt('Password: ');
  if (first === undefined) return undefined;
  const again = await io.prompt('Repeat the password: ');
  if (first !== again) throw new CliError('the two passwords differ');
  return first;
}

/** The expiry --expires names, checked (at most 9999-12-31) before anything is stored. */
function tokenExpiry(value: string): number {
  try {
    return parseExpiry(value, Date.now());
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

function parseSince(v: string): number {
  // A duration means "this long ago"; parseExpiry(v, 0) is the duration in milliseconds.
  if (/^\d+\s*[mhdw]$/i.test(v.trim())) {
    try {
      return Date.now() - parseExpiry(v, 0, '--since');
    } catch (e) {
      throw new CliError((e as Error).message);
    }
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new CliError(`--since "${v}" is neither an ISO date/time nor a duration such as 12h or 30d`);
  return t;
}

function safeOsUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

function promptHidden(question: string): Promise<string | undefined> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    process.stderr.write(question);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
