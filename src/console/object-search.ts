import type { Tlp } from '../config/config';
import { InvalidInputError } from '../domain/errors';
import { TLP_LEVELS, tlpRank } from '../domain/tlp';
import type { ObjectStore } from '../store/object-store';
import { visibilityFor, type Principal } from '../taxii/access';
import type { CollectionService } from '../taxii/services/collection-service';

export interface SearchRequest {
  type?: string;
  text?: string;
  tlp?: string;
  /** The position of the previous page (opaque to the browser). */
  after?: string;
  limit: number;
}

export interface SearchPage {
  objects: Array<Record<string, unknown>>;
  next?: string;
}

const MAX_TEXT = 200;

/**
 * The console's object search: versions whose JSON holds a text, of one TLP level, optionally of one type.
 * The read right comes from CollectionService.resolve and the TLP filter is visibilityFor, as for TAXII
 * reads; the page position is the last date_added (keyset), so pages stay stable while curators write.
 */
export class ObjectSearch {
  constructor(
    private readonly collections: CollectionService,
    private readonly objects: ObjectStore,
  ) {}

  async search(p: Principal, root: string, idOrAlias: string, req: SearchRequest): Promise<SearchPage> {
    const { collection } = await this.collections.resolve(p, root, idOrAlias, 'read');
    const text = req.text?.trim();
    if (text && text.length > MAX_TEXT) throw new InvalidInputError(`Search for at most ${MAX_TEXT} characters.`);
    if (req.tlp && !(TLP_LEVELS as readonly string[]).includes(req.tlp)) throw new InvalidInputError(`TLP must be one of ${TLP_LEVELS.join(', ')}.`);
    let afterUs: number | undefined;
    if (req.after) {
      afterUs = Number(Buffer.from(req.after, 'base64url').toString('utf8'));
      if (!Number.isSafeInteger(afterUs) || afterUs < 0) throw new InvalidInputError('The page position is damaged; start the search again.');
    }
    const rows = await this.objects.search({
      collectionId: collection.id,
      types: req.type ? [req.type] : undefined,
      text: text || undefined,
      tlp: req.tlp ? tlpRank(req.tlp as Tlp) : undefined,
      defaultTlp: tlpRank(collection.defaultTlp ?? 'amber'),
      afterUs,
      limit: req.limit,
      visibility: visibilityFor(p, collection),
    });
    const more = rows.length > req.limit;
    const page = more ? rows.slice(0, req.limit) : rows;
    return {
      objects: page.map((r) => JSON.parse(r.body) as Record<string, unknown>),
      next: more ? Buffer.from(String(page[page.length - 1]!.dateAddedUs)).toString('base64url') : undefined,
    };
  }
}
