import { microsToTimestamp } from '../common/time';
import type { ObjectStore } from '../store/object-store';
import { visibilityFor, type Principal } from '../taxii/access';
import type { CollectionService } from '../taxii/services/collection-service';
import { objectRow, type ObjectRow } from './views';

export interface CollectionSummary {
  countsByType: Array<{ type: string; count: number }>;
  latest: Array<ObjectRow & { dateAdded: string }>;
}

/**
 * What a collection holds, as its reader may see it: objects per type and the versions added last. The
 * read right is checked by CollectionService.resolve and the TLP filter is the one TAXII reads use.
 */
export class CollectionSummaries {
  constructor(
    private readonly collections: CollectionService,
    private readonly objects: ObjectStore,
  ) {}

  async summary(p: Principal, root: string, idOrAlias: string, latest = 10): Promise<CollectionSummary> {
    const { collection } = await this.collections.resolve(p, root, idOrAlias, 'read');
    const visibility = visibilityFor(p, collection);
    const counts = await this.objects.countVisibleByType(collection.id, visibility);
    const newest = await this.objects.newestAdded(collection.id, latest, visibility);
    return {
      countsByType: Object.entries(counts)
        .map(([type, count]) => ({ type, count }))
        .sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1)),
      latest: newest.map((o) => ({ ...objectRow(JSON.parse(o.body) as Record<string, unknown>), dateAdded: microsToTimestamp(o.dateAddedUs) })),
    };
  }
}
