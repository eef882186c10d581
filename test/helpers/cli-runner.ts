import { Command } from 'commander';
import pino from 'pino';
import type { AdminIo } from '../../src/cli/admin-commands';

export interface CliResult {
  out: string[];
  err: string[];
  code: number;
}

/**
 * Runs commands in-process as the command line would: `register` adds them to a fresh program whose
 * output, standard input and exit status the test captures. `io` overrides parts of the environment
 * (env, readStdin, log...).
 */
export async function runCli(register: (program: Command, io: AdminIo) => void, args: string[], io: Partial<AdminIo> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const program = new Command().exitOverride().configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => err.push(t) });
  register(program, {
    env: {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => '',
    prompt: async () => undefined,
    log: pino({ level: 'silent' }),
    fail: (c) => (code = c),
    ...io,
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 1;
  }
  return { out, err, code };
}
