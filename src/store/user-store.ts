import { randomUUID } from 'node:crypto';
import type { Tlp } from '../config/config';
import type { Db } from './db';

const TABLE = 'users';

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  isAdmin: boolean;
  disabled: boolean;
  maxTlp: Tlp;
}

export class UserStore {
  constructor(private readonly db: Db) {}

  async findByName(username: string): Promise<User | undefined> {
    const [row] = await this.db.select(this.db.knex(TABLE).where({ username }).limit(1));
    return row && toUser(row);
  }

  async list(): Promise<User[]> {
    return (await this.db.knex(TABLE).orderBy('username')).map(toUser);
  }

  /**
   * Creates the user, or updates its password, admin flag and clearance when it exists: one statement, so
   * processes starting together cannot collide.
   */
  async upsert(u: { username: string; passwordHash: string; isAdmin: boolean; maxTlp: Tlp }): Promise<User> {
    await this.db
      .knex(TABLE)
      .insert({
        id: randomUUID(),
        username: u.username,
        password_hash: u.passwordHash,
        is_admin: u.isAdmin ? 1 : 0,
        disabled: 0,
        max_tlp: u.maxTlp,
        created_at_ms: Date.now(),
      })
      .onConflict('username')
      .merge(['password_hash', 'is_admin', 'max_tlp', 'disabled']);
    return (await this.findByName(u.username))!;
  }

  /** Replaces the password hash; false when there is no such user. */
  async setPasswordHash(username: string, passwordHash: string): Promise<boolean> {
    return (await this.db.knex(TABLE).where({ username }).update({ password_hash: passwordHash })) > 0;
  }

  /** Sets the highest TLP the user may read; false when there is no such user. */
  async setMaxTlp(username: string, maxTlp: Tlp): Promise<boolean> {
    return (await this.db.knex(TABLE).where({ username }).update({ max_tlp: maxTlp })) > 0;
  }

  async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    return (await this.db.knex(TABLE).where({ username }).update({ disabled: disabled ? 1 : 0 })) > 0;
  }
}

/** Maps a `users` row (as PrincipalStore's joins read it too) to a User. */
export function toUser(r: any): User {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    isAdmin: Number(r.is_admin) === 1,
    disabled: Number(r.disabled) === 1,
    maxTlp: r.max_tlp,
  };
}
