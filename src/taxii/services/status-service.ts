import { NotFoundError, UnauthorizedError } from '../../domain/errors';
import type { StatusResource } from '../../domain/types';
import type { StatusStore } from '../../store/status-store';
import type { Principal } from '../access';
import type { CollectionService } from './collection-service';

/** Get Status (TAXII 2.1 §4.3): a status is visible to the principal that created it and to administrators. */
export class StatusService {
  constructor(
    private readonly collections: CollectionService,
    private readonly statuses: StatusStore,
    /** The progress of a queued envelope (src/ingest), merged into its stored "pending" status. */
    private readonly live?: (id: string) => Promise<Partial<StatusResource> | undefined>,
  ) {}

  async get(p: Principal, root: string, id: string): Promise<StatusResource> {
    this.collections.apiRoot(root);
    if (p.kind === 'anonymous') throw new UnauthorizedError();
    const s = await this.statuses.find(root, id);
    if (!s || (!p.isAdmin && s.principalId !== p.id)) {
      throw new NotFoundError(`There is no status ${id} that you can see; statuses are kept for at least 24 hours after the request.`);
    }
    if (s.resource.status === 'pending' && this.live) return { ...s.resource, ...(await this.live(id)) };
    return s.resource;
  }
}
