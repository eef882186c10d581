import type { ApiRootConfig, CollectionConfig, Config } from '../../config/config';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../domain/errors';
import type { AccessPolicy, CollectionRights, Principal } from '../access';
import { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from '../media-types';

export interface ResolvedCollection {
  apiRoot: ApiRootConfig;
  collection: CollectionConfig;
  rights: CollectionRights;
}

/** Discovery, API roots and collections (TAXII 2.1 §4.1, §4.2, §5.1, §5.2). */
export class CollectionService {
  constructor(
    private readonly config: Config,
    private readonly policy: AccessPolicy,
  ) {}

  /** Whether an anonymous caller may see the server's front door (only when something is public). */
  private anyPublic(): boolean {
    return this.config.apiRoots.some((r) => r.collections.some((c) => c.public));
  }

  requireFrontDoor(principal: Principal): void {
    if (principal.kind === 'anonymous' && !this.anyPublic()) throw new UnauthorizedError();
  }

  discovery(principal: Principal, baseUrl: string): Record<string, unknown> {
    this.requireFrontDoor(principal);
    const s = this.config.server;
    const roots = this.config.apiRoots.map((r) => `${baseUrl}/${r.path}/`);
    const body: Record<string, unknown> = { title: s.title };
    if (s.description) body.description = s.description;
    if (s.contact) body.contact = s.contact;
    if (s.defaultApiRoot) body.default = `${baseUrl}/${s.defaultApiRoot}/`;
    body.api_roots = roots;
    return body;
  }

  apiRoot(path: string): ApiRootConfig {
    const root = this.config.apiRoots.find((r) => r.path === path);
    if (!root) throw new NotFoundError(`There is no API root "${path}" on this server; GET /taxii2/ lists the API roots.`);
    return root;
  }

  apiRootInfo(principal: Principal, path: string): Record<string, unknown> {
    const root = this.apiRoot(path);
    this.requireFrontDoor(principal);
    const body: Record<string, unknown> = { title: root.title };
    if (root.description) body.description = root.description;
    body.versions = [TAXII_MEDIA_TYPE];
    body.max_content_length = root.maxContentLength;
    return body;
  }

  async list(principal: Principal, path: string): Promise<Record<string, unknown>[]> {
    const root = this.apiRoot(path);
    this.requireFrontDoor(principal);
    const out: Record<string, unknown>[] = [];
    // Interop §2.1.7: the collections list is sorted (by id).
    for (const c of [...root.collections].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const rights = await this.policy.rights(principal, c);
      if (rights.visible) out.push(collectionResource(c, rights));
    }
    return out;
  }

  async get(principal: Principal, path: string, idOrAlias: string): Promise<Record<string, unknown>> {
    const r = await this.resolve(principal, path, idOrAlias);
    return collectionResource(r.collection, r.rights);
  }

  /**
   * Finds a collection by id or alias and checks the principal's right. A collection the principal may
   * not know about is a 404 (401 for anonymous callers, who might see it after logging in); a visible one
   * without the needed right is a 403.
   */
  async resolve(principal: Principal, path: string, idOrAlias: string, need?: 'read' | 'write' | 'delete'): Promise<ResolvedCollection> {
    const apiRoot = this.apiRoot(path);
    const key = idOrAlias.toLowerCase();
    const collection = apiRoot.collections.find((c) => c.id === key || c.alias === idOrAlias);
    const rights = collection ? await this.policy.rights(principal, collection) : undefined;
    if (!collection || !rights?.visible) {
      if (principal.kind === 'anonymous') throw new UnauthorizedError();
      throw new NotFoundError(`There is no collection "${idOrAlias}" in API root "${path}" that you can see; GET /${path}/collections/ lists them.`);
    }
    const lacking = need === 'delete' ? !(rights.read && rights.write) : need ? !rights[need] : false;
    if (lacking && principal.kind === 'anonymous') throw new UnauthorizedError();
    if (need === 'delete' && lacking) throw new ForbiddenError(`Deleting from collection ${collection.id} needs both can_read and can_write.`);
    if (need === 'read' && !rights.read) throw new ForbiddenError(`You may not read collection ${collection.id} (can_read is false).`);
    if (need === 'write' && !rights.write) throw new ForbiddenError(`You may not add to or delete from collection ${collection.id} (can_write is false).`);
    return { apiRoot, collection, rights };
  }
}

function collectionResource(c: CollectionConfig, rights: CollectionRights): Record<string, unknown> {
  const body: Record<string, unknown> = { id: c.id, title: c.title };
  if (c.description) body.description = c.description;
  if (c.alias) body.alias = c.alias;
  body.can_read = rights.read;
  body.can_write = rights.write;
  body.media_types = [STIX_MEDIA_TYPE];
  return body;
}
