import type { CollectionConfig, Tlp } from '../config/config';
import { TLP_LEVELS, tlpRank } from '../domain/tlp';
import type { Visibility } from '../domain/types';

/** Who is asking. Anonymous requests get a principal too, so that every rule has one input. */
export interface Principal {
  id: string;
  name: string;
  kind: 'anonymous' | 'user' | 'token';
  isAdmin: boolean;
  /** Highest TLP this principal is cleared for. */
  maxTlp: Tlp;
  /**
   * The user's API token the request authenticated with, when it acts as a user: a long-lived reader opened
   * with it (a change stream) ends when the token is revoked or expires (src/taxii/standing-access.ts).
   */
  tokenId?: string;
  /**
   * The store's access-control revision this principal was resolved at (PrincipalStore.authRevision),
   * when authentication read it: grants read for the principal may be reused while it is unchanged.
   */
  authRevision?: number;
}

export const ANONYMOUS: Principal = Object.freeze({ id: 'anonymous', name: 'anonymous', kind: 'anonymous', isAdmin: false, maxTlp: 'clear' });

export interface CollectionRights {
  /** Whether the principal may know the collection exists (listed, and 403 rather than 404). */
  visible: boolean;
  read: boolean;
  write: boolean;
}

/** Decides what a principal may do with a collection. */
export interface AccessPolicy {
  rights(principal: Principal, collection: CollectionConfig): Promise<CollectionRights>;
  /** Whether the principal may approve reviewed submissions into the collection (the `curator` right); administrators only when absent. */
  curate?(principal: Principal, collection: CollectionConfig): Promise<boolean>;
}

/** Administrators may do everything; public collections are readable by all; nothing else is granted. */
export class AdminAndPublicPolicy implements AccessPolicy {
  async rights(principal: Principal, collection: CollectionConfig): Promise<CollectionRights> {
    if (principal.isAdmin) return { visible: true, read: true, write: true };
    if (collection.public) return { visible: true, read: true, write: false };
    return { visible: false, read: false, write: false };
  }
}

/**
 * The TLP filter for a principal reading a collection; undefined means no filter. It depends on the
 * clearance alone: administrators are cleared for TLP:RED, but a token limited to a lower level keeps that
 * limit even when it acts as an administrator.
 */
export function visibilityFor(principal: Principal, collection: CollectionConfig): Visibility | undefined {
  // Cleared for the highest level: nothing can be hidden, so no filter (and the flagged versions serve).
  if (tlpRank(principal.maxTlp) === TLP_LEVELS.length - 1) return undefined;
  // Unmarked objects take the collection's default TLP; without one, TLP:AMBER (fail closed).
  return {
    maxTlp: tlpRank(principal.maxTlp),
    defaultTlp: tlpRank(collection.defaultTlp ?? 'amber'),
    hideEndpointsOfHidden: collection.omitRelationshipsToHidden,
    granular: collection.granularMarkings ?? 'redact',
  };
}
