import type { Tlp } from '../../../src/config/config';
import type { Runtime } from '../../../src/server';
import { hashPassword } from '../../../src/taxii/services/auth-service';
import { userPrincipalId } from '../../../src/taxii/token-service';

/** Creates a password user with a clearance and the given grants (collection id → rights). */
export async function addUser(
  rt: Runtime,
  username: string,
  password: string,
  opts: { tlp?: Tlp; admin?: boolean; grants?: Record<string, Array<'read' | 'write'>> } = {},
): Promise<string> {
  const u = await rt.stores.users.upsert({ username, passwordHash: await hashPassword(password), isAdmin: opts.admin ?? false, maxTlp: opts.tlp ?? 'red' });
  for (const [collection, rights] of Object.entries(opts.grants ?? {})) {
    await rt.stores.principals.grant(userPrincipalId(u.id), collection, { read: rights.includes('read'), write: rights.includes('write') });
  }
  return u.id;
}
