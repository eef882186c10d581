/**
 * Requests that arrive with the same credentials while they are being checked share one check (one user
 * lookup, one scrypt) when they read the same access-control revision, and never when the revision moved.
 */
import { UnauthorizedError } from '../../../src/domain/errors';
import type { Tlp } from '../../../src/config/config';
import type { User, UserStore } from '../../../src/store/user-store';
import { AuthService, hashPassword } from '../../../src/taxii/services/auth-service';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Fake {
  service: AuthService;
  lookups: number;
  revision: number;
  maxTlp: Tlp;
  /** When set, lookups wait for it (a slow database). */
  gate?: Promise<void>;
  failNext: boolean;
}

async function fake(): Promise<Fake> {
  const passwordHash = await hashPassword('poller-password-1');
  const f: Fake = { lookups: 0, revision: 1, maxTlp: 'green', failNext: false, service: undefined as unknown as AuthService };
  const users = {
    findByName: async (username: string): Promise<User | undefined> => {
      f.lookups++;
      const maxTlp = f.maxTlp;
      await f.gate;
      if (f.failNext) {
        f.failNext = false;
        throw new Error('connection lost');
      }
      return username === 'poller' ? { id: 'u1', username, passwordHash, isAdmin: false, disabled: false, maxTlp } : undefined;
    },
  } as unknown as UserStore;
  f.service = new AuthService(users, { revisions: { authRevision: async () => f.revision } });
  return f;
}

function gate(f: Fake): () => void {
  let open!: () => void;
  f.gate = new Promise<void>((r) => (open = r));
  return () => {
    f.gate = undefined;
    open();
  };
}

describe('credentials checked once for the requests that arrive together', () => {
  test('When ten requests bring the same uncached password at once, Then the user is looked up and the password hashed once, and all ten get the principal', async () => {
    const f = await fake();
    const got = await Promise.all(Array.from({ length: 10 }, () => f.service.authenticate(basic('poller', 'poller-password-1'))));
    expect(f.lookups).toBe(1);
    expect(new Set(got.map((p) => `${p.id} ${p.maxTlp} ${p.authRevision}`))).toEqual(new Set(['user:u1 green 1']));
  });

  test('When the revision moves while a check is under way, Then a request that read the new revision checks again and sees the new data', async () => {
    const f = await fake();
    const release = gate(f);
    const first = f.service.authenticate(basic('poller', 'poller-password-1'));
    await new Promise((r) => setImmediate(r));
    f.revision = 2;
    f.maxTlp = 'amber';
    const second = f.service.authenticate(basic('poller', 'poller-password-1'));
    await new Promise((r) => setImmediate(r));
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(f.lookups).toBe(2);
    expect([a.maxTlp, a.authRevision]).toEqual(['green', 1]);
    expect([b.maxTlp, b.authRevision]).toEqual(['amber', 2]);
  });

  test('When the shared check finds a wrong password, Then every request waiting for it is refused and nothing is remembered', async () => {
    const f = await fake();
    const all = await Promise.allSettled(Array.from({ length: 5 }, () => f.service.authenticate(basic('poller', 'wrong-password'))));
    expect(all.map((r) => r.status === 'rejected' && r.reason instanceof UnauthorizedError)).toEqual([true, true, true, true, true]);
    expect(f.lookups).toBe(1);
    await expect(f.service.authenticate(basic('poller', 'wrong-password'))).rejects.toBeInstanceOf(UnauthorizedError);
    expect(f.lookups).toBe(2);
  });

  test('When the shared check fails on the database, Then the waiting requests fail with it and the next request checks afresh', async () => {
    const f = await fake();
    f.failNext = true;
    const all = await Promise.allSettled(Array.from({ length: 3 }, () => f.service.authenticate(basic('poller', 'poller-password-1'))));
    expect(all.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'))).toEqual(['connection lost', 'connection lost', 'connection lost']);
    expect(f.lookups).toBe(1);
    expect((await f.service.authenticate(basic('poller', 'poller-password-1'))).id).toBe('user:u1');
    expect(f.lookups).toBe(2);
  });
});
