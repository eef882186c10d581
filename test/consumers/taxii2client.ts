/**
 * The wire behaviour of taxii2-client 2.x (oasis-open/cti-taxii-client, v21), which does the HTTP work
 * under the OpenCTI taxii2 connector, Cortex XSOAR's TAXII 2 Feed and MISP's taxii21 module. Written here
 * from its described behaviour: Accept on every GET, the strict Content-Type check on every 200,
 * resource validation, a `/` appended to every URL, filters mapped to `match[...]`, `as_pages`.
 */
import { ClientBroke, parseEnvelope, taxii2clientContentTypeOk, Wire, type Envelope, type WireResponse } from './harness';

export const TAXII2CLIENT_ACCEPT = 'application/taxii+json;version=2.1';

export type Auth = { kind: 'basic'; header: string } | { kind: 'token'; token: string };

export type FilterValue = string | number | string[];

function authHeader(a: Auth): string {
  return a.kind === 'basic' ? a.header : `Token ${a.token}`;
}

const withSlash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

export class Taxii2Connection {
  readonly wire = new Wire();
  constructor(
    readonly auth: Auth,
    readonly who: string,
  ) {}

  /** `_HTTPConnection.get`: Accept sent, non-2xx raised, Content-Type checked, JSON returned. */
  async get(url: string, params?: Record<string, string>): Promise<{ body: unknown; response: WireResponse }> {
    const qs = params && Object.keys(params).length ? `?${new URLSearchParams(params).toString()}` : '';
    const r = await this.wire.get(`${url}${qs}`, { Accept: TAXII2CLIENT_ACCEPT, Authorization: authHeader(this.auth) });
    if (r.status < 200 || r.status > 299) throw new ClientBroke(`${this.who}: requests.HTTPError ${r.status} for ${r.url}: ${r.text.slice(0, 300)}`);
    const ct = r.headers.get('content-type');
    if (!taxii2clientContentTypeOk(ct, TAXII2CLIENT_ACCEPT)) {
      throw new ClientBroke(`${this.who}: TAXIIServiceException: Unexpected Response. Got Content-Type: '${ct}' for Accept: '${TAXII2CLIENT_ACCEPT}'`);
    }
    return { body: JSON.parse(r.text), response: r };
  }
}

function required(who: string, what: string, obj: Record<string, unknown>, fields: string[]): void {
  for (const f of fields) if (obj[f] === undefined || obj[f] === null) throw new ClientBroke(`${who}: ValidationError: No '${f}' in ${what} response`);
}

export class Server {
  title = '';
  default?: string;
  apiRoots: ApiRoot[] = [];
  constructor(
    readonly url: string,
    readonly conn: Taxii2Connection,
  ) {}

  async load(): Promise<this> {
    const url = withSlash(this.url);
    const { body } = await this.conn.get(url);
    const d = body as Record<string, unknown>;
    required(this.conn.who, 'discovery', d, ['title']);
    this.title = String(d.title);
    const roots = (d.api_roots as string[] | undefined) ?? [];
    this.apiRoots = roots.map((u) => new ApiRoot(new URL(u, url).toString(), this.conn));
    // `default` is honoured only when it is byte-identical to one of api_roots.
    this.default = typeof d.default === 'string' && roots.includes(d.default) ? new URL(d.default, url).toString() : undefined;
    return this;
  }
}

export class ApiRoot {
  title = '';
  collections: Collection[] = [];
  constructor(
    readonly url: string,
    readonly conn: Taxii2Connection,
  ) {
    this.url = withSlash(url);
  }

  async loadInfo(): Promise<this> {
    const d = (await this.conn.get(this.url)).body as Record<string, unknown>;
    required(this.conn.who, 'API root', d, ['title', 'versions', 'max_content_length']);
    if (!Array.isArray(d.versions) || d.versions.length === 0) throw new ClientBroke(`${this.conn.who}: ValidationError: empty versions`);
    this.title = String(d.title);
    return this;
  }

  async loadCollections(): Promise<Collection[]> {
    const d = (await this.conn.get(`${this.url}collections/`)).body as { collections?: Array<Record<string, unknown>> };
    this.collections = (d.collections ?? []).map((c) => Collection.fromInfo(`${this.url}collections/${String(c.id)}/`, this.conn, c));
    return this.collections;
  }
}

export class Collection {
  id = '';
  title = '';
  canRead = false;
  constructor(
    readonly url: string,
    readonly conn: Taxii2Connection,
  ) {
    this.url = withSlash(url);
  }

  static fromInfo(url: string, conn: Taxii2Connection, info: Record<string, unknown>): Collection {
    const c = new Collection(url, conn);
    c.populate(info);
    return c;
  }

  /** `Collection(url)` built without metadata GETs the collection resource first (MISP does this). */
  async loadInfo(): Promise<this> {
    this.populate((await this.conn.get(this.url)).body as Record<string, unknown>);
    return this;
  }

  private populate(info: Record<string, unknown>): void {
    required(this.conn.who, 'collection', info, ['id', 'title', 'can_read', 'can_write']);
    this.id = String(info.id);
    this.title = String(info.title);
    this.canRead = info.can_read === true;
    if (!this.url.includes(this.id)) throw new ClientBroke(`${this.conn.who}: ValidationError: collection id ${this.id} not in its URL ${this.url}`);
  }

  /** `get_objects(**filters)`: added_after/limit/next sent as is, every other keyword as match[kw]. */
  async getObjects(filters: Record<string, FilterValue>): Promise<{ envelope: Envelope; response: WireResponse }> {
    if (!this.canRead) throw new ClientBroke(`${this.conn.who}: AccessError: collection ${this.id} does not allow reading`);
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(filters)) {
      const value = Array.isArray(v) ? v.join(',') : String(v);
      params[['added_after', 'limit', 'next'].includes(k) ? k : `match[${k}]`] = value;
    }
    const { response } = await this.conn.get(`${this.url}objects/`, params);
    return { envelope: parseEnvelope(this.conn.who, response), response };
  }
}

/**
 * `v21.as_pages(func, per_request, **kwargs)`: loops while `more`, resending every filter plus `next`
 * (`""` when absent) and `limit`; lowers `limit` to the page's size when the server returned fewer.
 */
export async function* asPages(
  coll: Collection,
  perRequest: number,
  filters: Record<string, FilterValue>,
  bound: { tick(): void },
): AsyncGenerator<Envelope> {
  let limit = perRequest;
  bound.tick();
  let { envelope } = await coll.getObjects({ ...filters, limit });
  yield envelope;
  while (envelope.more) {
    const got = envelope.objects?.length ?? 0;
    if (got < limit) limit = got;
    bound.tick();
    ({ envelope } = await coll.getObjects({ ...filters, next: envelope.next ?? '', limit }));
    yield envelope;
  }
}
