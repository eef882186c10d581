/** The classification of database errors (src/store/unavailable.ts): what is an outage, and what is a wait that ran out. */
import { isConnectionLost, isDatabaseUnavailable, isWaitTimeout } from '../../../src/store/unavailable';
import { DatabaseUnavailableError } from '../../../src/domain/errors';

const coded = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

test.each([
  ['knex found no free connection in time', Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })],
  ['pg got no answer to a query in time', new Error('Query read timeout')],
  ['pg could not connect in time', new Error('timeout expired')],
  ['PostgreSQL cancelled the statement (statement_timeout)', coded('57014', 'canceling statement due to statement timeout')],
  ['PostgreSQL gave up waiting for a lock', coded('55P03', 'canceling statement due to lock timeout')],
  ['the network timed out', coded('ETIMEDOUT')],
  ['a wrapped timeout', new Error('write failed', { cause: new Error('Query read timeout') })],
])('When %s, Then it is an outage and a wait that ran out', (_what, err) => {
  expect(isDatabaseUnavailable(err)).toBe(true);
  expect(isWaitTimeout(err)).toBe(true);
});

test.each([
  ['the connection was refused', coded('ECONNREFUSED')],
  ['the connection ended', new Error('Connection terminated unexpectedly')],
  ['the server is shutting down', coded('57P01', 'terminating connection due to administrator command')],
  ['SQLite is locked by another writer', coded('SQLITE_BUSY', 'database is locked')],
  ['an outage already classified', new DatabaseUnavailableError('connection lost')],
])('When %s, Then it is an outage that came at once, not a wait that ran out', (_what, err) => {
  expect(isDatabaseUnavailable(err)).toBe(true);
  expect(isWaitTimeout(err)).toBe(false);
});

test('When a statement is refused (a constraint), Then it is neither', () => {
  const err = coded('23505', 'duplicate key value violates unique constraint');
  expect(isDatabaseUnavailable(err)).toBe(false);
  expect(isWaitTimeout(err)).toBe(false);
});

test.each([
  ['pg saw the connection end', new Error('Connection terminated unexpectedly')],
  ['knex saw the connection end', new Error('Connection ended unexpectedly')],
  ['the server terminated the backend', coded('57P01', 'terminating connection due to administrator command')],
  ['the server crashed', coded('57P02', 'terminating connection because of crash of another server process')],
  ['the socket was reset', coded('ECONNRESET', 'read ECONNRESET')],
  ['the socket was closed under a write', coded('EPIPE', 'write EPIPE')],
  ['a wrapped reset', new Error('read failed', { cause: coded('ECONNRESET') })],
])('When %s, Then the connection is lost', (_what, err) => {
  expect(isConnectionLost(err)).toBe(true);
});

test.each([
  ['the connection was refused', coded('ECONNREFUSED')],
  ['the network timed out', coded('ETIMEDOUT')],
  ['pg got no answer in time', new Error('Query read timeout')],
  ['the statement timed out', coded('57014', 'canceling statement due to statement timeout')],
  ['the server is starting up', coded('57P03', 'the database system is starting up')],
  ['a statement was refused', coded('23505', 'duplicate key value violates unique constraint')],
])('When %s, Then no established connection was lost', (_what, err) => {
  expect(isConnectionLost(err)).toBe(false);
});
