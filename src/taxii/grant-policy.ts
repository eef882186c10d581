import type { CollectionConfig } from '../config/config';
import type { Grant } from '../store/principal-store';
import type { AccessPolicy, CollectionRights, Principal } from './access';

export interface GrantSource {
  grantsOf(principalId: string): Promise<Map<string, Grant>>;
}

const NONE: CollectionRights = { visible: false, read: false, write: false };
const ALL: CollectionRights = { visible: true, read: true, write: true };
const PUBLIC_READ: CollectionRights = { visible: true, read: true, write: false };

/**
 * Rights from per-collection grants. Administrators may do everything; a collection configured
 * `public: true` is readable by anyone; otherwise a principal sees a collection only through a grant.
 *
 * A principal's grants are read with one indexed query and memoised on the principal object, which
 * the authentication middleware creates afresh for every request. When authentication read the store's
 * access-control revision (`principal.authRevision`), the grants are also kept across requests under that
 * revision and reused only while a request reads the same one: every grant change moves it (a trigger, in
 * the same transaction, from any process), so a revoked grant stops working on the very next request.
 */
export class GrantPolicy implements AccessPolicy {
  private readonly memo = new WeakMap<Principal, Promise<Map<string, Grant>>>();
  private readonly byRevision = new Map<string, { revision: number; grants: Promise<Map<string, Grant>> }>();

  constructor(
    private readonly grants: GrantSource,
    private readonly maxKept = 10_000,
  ) {}

  async rights(principal: Principal, collection: CollectionConfig): Promise<CollectionRights> {
    if (principal.isAdmin) return ALL;
    if (principal.kind === 'anonymous') return collection.public ? PUBLIC_READ : NONE;
    const g = await this.grantOn(principal, collection);
    const read = Boolean(g?.read) || collection.public;
    const write = Boolean(g?.write);
    return read || write ? { visible: true, read, write } : NONE;
  }

  /** The `curator` right: approving reviewed submissions into the collection. It does not make the collection readable. */
  async curate(principal: Principal, collection: CollectionConfig): Promise<boolean> {
    if (principal.isAdmin) return true;
    if (principal.kind === 'anonymous') return false;
    return Boolean((await this.grantOn(principal, collection))?.curate);
  }

  private async grantOn(principal: Principal, collection: CollectionConfig): Promise<Grant | undefined> {
    let pending = this.memo.get(principal);
    if (!pending) {
      pending = this.kept(principal) ?? this.grants.grantsOf(principal.id);
      this.memo.set(principal, pending);
    }
    return (await pending).get(collection.id);
  }

  /** The grants kept for the principal at its revision, reading and keeping them when there are none. */
  private kept(principal: Principal): Promise<Map<string, Grant>> | undefined {
    const revision = principal.authRevision;
    if (revision === undefined) return undefined;
    const entry = this.byRevision.get(principal.id);
    if (entry && entry.revision === revision) return entry.grants;
    const grants = this.grants.grantsOf(principal.id);
    if (!entry && this.byRevision.size >= this.maxKept) this.byRevision.delete(this.byRevision.keys().next().value!);
    const kept = { revision, grants };
    this.byRevision.set(principal.id, kept);
    grants.catch(() => {
      if (this.byRevision.get(principal.id) === kept) this.byRevision.delete(principal.id);
    });
    return grants;
  }
}
