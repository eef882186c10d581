import { DatabaseUnavailableError } from '../domain/errors';

/**
 * PostgreSQL SQLSTATEs that mean the database cannot serve now, whatever the statement: class 08
 * (connection exception), 53 (insufficient resources: too many connections, disk full, out of memory),
 * 57P01-57P05 (shut down, starting up, dropped, idle timeout), 57014 (statement timeout), 55P03 (lock
 * timeout), 25006 (read-only standby), 28 (authentication refused), 3D000 (no such database).
 */
const PG_UNAVAILABLE: ReadonlyArray<[RegExp, string]> = [
  [/^08/, 'connection failure'],
  [/^53300$/, 'too many connections'],
  [/^53/, 'out of resources'],
  [/^57P0[1-5]$/, 'shut down or starting up'],
  [/^57014$/, 'statement timeout'],
  [/^55P03$/, 'lock timeout'],
  [/^25006$/, 'read-only'],
  [/^28/, 'login refused'],
  [/^3D000$/, 'no such database'],
];

/** SQLite result codes (extended codes share the prefix) that mean the file cannot be written or read now. */
const SQLITE_UNAVAILABLE: ReadonlyArray<[RegExp, string]> = [
  [/^SQLITE_(BUSY|LOCKED)/, 'locked by another writer'],
  [/^SQLITE_(IOERR|CANTOPEN|PROTOCOL)/, 'input/output error'],
  [/^SQLITE_FULL$/, 'disk full'],
  [/^SQLITE_READONLY/, 'read-only'],
  [/^SQLITE_NOMEM$/, 'out of memory'],
];

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** Messages of the pg driver and knex's pool for a connection that is gone or was never made. */
const UNAVAILABLE_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/Timeout acquiring a connection/i, 'no connection within the wait limit'],
  [/Query read timeout/i, 'no answer within the wait limit'],
  [/timeout expired|connection timeout|timeout exceeded when trying to connect/i, 'connection timeout'],
  [/Connection terminated|terminating connection|is not queryable|Connection ended unexpectedly/i, 'connection lost'],
  [/not currently accepting connections/i, 'not accepting connections'],
  [/permission denied for database/i, 'connect privilege refused'],
];

/**
 * The one classification of database errors that mean "unavailable right now" (as opposed to refusing a
 * statement, or a bug): a domain error the HTTP layer answers as 503 with Retry-After, or undefined.
 * Errors wrapped by the store (StoreWriteError, or any error's `cause`) are looked through.
 */
export function databaseUnavailable(err: unknown): DatabaseUnavailableError | undefined {
  const reason = unavailableReason(err, 0);
  return reason ? new DatabaseUnavailableError(reason) : undefined;
}

/** Why the database is unavailable according to `err` (e.g. 'connection lost'), or undefined. */
export function unavailableReason(err: unknown, depth = 0): string | undefined {
  const e = err as { code?: unknown; name?: string; message?: string; cause?: unknown } | undefined;
  if (!e || typeof e !== 'object' || depth > 5) return undefined;
  if (e instanceof DatabaseUnavailableError) return e.reason;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code)) return `network: ${code}`;
  if (/^[0-9A-Z]{5}$/.test(code)) {
    const hit = PG_UNAVAILABLE.find(([re]) => re.test(code));
    if (hit) return `${hit[1]}, SQLSTATE ${code}`;
  }
  if (code.startsWith('SQLITE_')) {
    const hit = SQLITE_UNAVAILABLE.find(([re]) => re.test(code));
    return hit ? `${hit[1]}, ${code}` : undefined;
  }
  if (e.name === 'KnexTimeoutError') return 'no connection within the wait limit';
  // 42501 and 55000 also refuse single statements; only their connection-level forms are an outage.
  if (!code || code === '42501' || code === '55000') {
    const hit = UNAVAILABLE_MESSAGES.find(([re]) => re.test(e.message ?? ''));
    if (hit) return hit[1];
  }
  return e.cause !== undefined && e.cause !== err ? unavailableReason(e.cause, depth + 1) : undefined;
}

/** Whether an error means the database cannot be reached right now (as opposed to refusing a statement). */
export function isDatabaseUnavailable(err: unknown): boolean {
  return unavailableReason(err, 0) !== undefined;
}

/**
 * Whether an error means the database did not answer within a wait limit (a timeout of the pool, the
 * connection, the query or the statement), as opposed to failing at once: another try would wait as long.
 */
export function isWaitTimeout(err: unknown): boolean {
  return /wait limit|timeout|ETIMEDOUT/i.test(unavailableReason(err, 0) ?? '');
}

/** Network codes of a socket that was open and is now gone (the server ended or reset it). */
const LOST_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Whether an error means an established connection is gone: it ended, the server terminated it (SQLSTATE
 * 57P01-57P02) or its socket was reset. Which of these a caller sees depends on where the driver was when
 * the end arrived, so all of them mean the same thing.
 */
export function isConnectionLost(err: unknown): boolean {
  const reason = unavailableReason(err, 0) ?? '';
  if (reason === 'connection lost') return true;
  const network = /^network: (\w+)$/.exec(reason);
  if (network) return LOST_SOCKET_CODES.has(network[1]!);
  return /SQLSTATE 57P0[12]$/.test(reason);
}
