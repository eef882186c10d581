/** Exit statuses of every command (documented in `--help`). */
export const EXIT = {
  ok: 0,
  /** The content is invalid: a STIX object, a bundle, a file that is not JSON. */
  invalid: 1,
  /** Usage, configuration, input/output or an unreachable database. */
  usage: 2,
} as const;

/** Ends a command with one line on standard error and this exit status; never a stack trace. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const EXIT_HELP = `
Exit status:
  0  success
  1  invalid content (a STIX object, bundle or envelope that does not validate, a file that is not JSON)
  2  usage error, bad configuration, unreadable or unwritable file, or an unreachable database`;
