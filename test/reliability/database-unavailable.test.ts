/**
 * Every database error that means "unavailable right now" becomes one domain error, answered as 503 with
 * Retry-After; errors that mean something else (a bug, a constraint) do not.
 */
import { ServiceUnavailableError } from '../../src/domain/errors';
import { databaseUnavailable } from '../../src/store/db';

const err = (fields: Record<string, unknown>): Error => Object.assign(new Error(String(fields.message ?? 'x')), fields);

const UNAVAILABLE: Array<[string, Error]> = [
  ['connection refused', err({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' })],
  ['host unreachable', err({ code: 'EHOSTUNREACH' })],
  ['name not resolved', err({ code: 'ENOTFOUND' })],
  ['connection reset', err({ code: 'ECONNRESET' })],
  ['authentication failed', err({ code: '28P01', message: 'password authentication failed for user "x"' })],
  ['role may not log in', err({ code: '28000', message: 'role "x" is not permitted to log in' })],
  ['connect privilege revoked', err({ code: '42501', message: 'permission denied for database "feed"' })],
  ['database does not exist', err({ code: '3D000', message: 'database "feed" does not exist' })],
  ['not accepting connections', err({ code: '55000', message: 'database "feed" is not currently accepting connections' })],
  ['starting up', err({ code: '57P03', message: 'the database system is starting up' })],
  ['too many connections', err({ code: '53300', message: 'sorry, too many clients already' })],
  ['out of memory', err({ code: '53200' })],
  ['disk full (PostgreSQL)', err({ code: '53100' })],
  ['admin shutdown', err({ code: '57P01', message: 'terminating connection due to administrator command' })],
  ['crash shutdown', err({ code: '57P02' })],
  ['statement timeout', err({ code: '57014', message: 'canceling statement due to statement timeout' })],
  ['lock timeout', err({ code: '55P03' })],
  ['read-only standby', err({ code: '25006', message: 'cannot execute INSERT in a read-only transaction' })],
  ['connection failure class 08', err({ code: '08006' })],
  ['connection closed', err({ message: 'Connection terminated unexpectedly' })],
  ['connect timeout', err({ message: 'Connection terminated due to connection timeout' })],
  ['client-side query timeout', err({ message: 'Query read timeout' })],
  ['pool acquisition timeout', err({ name: 'KnexTimeoutError', message: 'Knex: Timeout acquiring a connection. The pool is probably full.' })],
  ['SQLITE_BUSY', err({ code: 'SQLITE_BUSY' })],
  ['SQLITE_BUSY_SNAPSHOT', err({ code: 'SQLITE_BUSY_SNAPSHOT' })],
  ['SQLITE_LOCKED', err({ code: 'SQLITE_LOCKED' })],
  ['SQLITE_IOERR_WRITE', err({ code: 'SQLITE_IOERR_WRITE' })],
  ['SQLITE_FULL', err({ code: 'SQLITE_FULL', message: 'database or disk is full' })],
  ['SQLITE_READONLY', err({ code: 'SQLITE_READONLY', message: 'attempt to write a readonly database' })],
  ['SQLITE_READONLY_DBMOVED', err({ code: 'SQLITE_READONLY_DBMOVED' })],
  ['SQLITE_CANTOPEN', err({ code: 'SQLITE_CANTOPEN' })],
  ['wrapped in a store write error', Object.assign(new Error('write failed'), { name: 'StoreWriteError', cause: err({ code: '57P01' }) })],
  ['wrapped as a cause', Object.assign(new Error('outer'), { cause: err({ code: 'SQLITE_FULL' }) })],
];

const NOT_UNAVAILABLE: Array<[string, Error]> = [
  ['unique violation', err({ code: '23505' })],
  ['syntax error', err({ code: '42601' })],
  ['permission denied on a table', err({ code: '42501', message: 'permission denied for table objects' })],
  ['SQLite constraint', err({ code: 'SQLITE_CONSTRAINT_UNIQUE' })],
  ['SQLite corruption', err({ code: 'SQLITE_CORRUPT' })],
  ['a bug', new TypeError('x is undefined')],
];

describe('database errors that mean unavailable', () => {
  for (const [name, e] of UNAVAILABLE) {
    test(`When the database fails with ${name}, Then it is a 503 service-unavailable domain error with Retry-After`, () => {
      const d = databaseUnavailable(e);
      expect(d).toBeInstanceOf(ServiceUnavailableError);
      expect(d!.httpStatus).toBe(503);
      expect(Number(d!.headers?.['Retry-After'])).toBeGreaterThan(0);
    });
  }
  for (const [name, e] of NOT_UNAVAILABLE) {
    test(`When the database fails with ${name}, Then it is not classified as unavailable`, () => {
      expect(databaseUnavailable(e)).toBeUndefined();
    });
  }
});
