/**
 * Shared machinery for the consumer profiles: a server with an API-token resolver, a curator that posts
 * indicators and new versions between polling rounds, a ledger of what a consumer received, the response
 * checks real clients apply, and the scripted scenario every profile runs.
 *
 * Each profile re-creates one consumer's wire behaviour (as described in docs/compatibility.md) in
 * TypeScript; nothing here is vendored client code.
 */
import { microsToTimestamp } from '../../src/common/time';
import { hashPassword } from '../../src/taxii/services/auth-service';
import { userPrincipalId } from '../../src/taxii/token-service';
import { ADMIN_AUTH, basic, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

export { ADMIN_AUTH, basic, IDS, TAXII };
export const ROOT = 'api1';
/** The collection every scenario publishes to: not public, so reading it needs working credentials. */
export const COLLECTION = { id: IDS.private, title: 'Private feed' };

export interface ConsumerServer extends TestServer {
  /** An API token of a user granted read (only) on every collection of api1, as issued to a SIEM. */
  token: string;
}

/**
 * A test server plus a read-only SIEM account and its API token, made through the server's own token
 * service and grants, so that Bearer, Token and key-as-Basic-password profiles use the real auth path.
 */
export async function startConsumerServer(env: Record<string, string> = {}): Promise<ConsumerServer> {
  const s = await startTestServer({ env });
  const user = await s.rt.stores.users.upsert({ username: 'siem', passwordHash: await hashPassword('siem-password-1'), isAdmin: false, maxTlp: 'red' });
  for (const id of Object.values(IDS)) await s.rt.stores.principals.grant(userPrincipalId(user.id), id, { read: true, write: false });
  const { secret } = await s.rt.services.tokens.create({ name: 'siem', userId: user.id });
  return Object.assign(s, { token: secret });
}

export function rootUrl(s: TestServer): string {
  return `${s.url}/${ROOT}/`;
}
export function collectionUrl(s: TestServer): string {
  return `${s.url}/${ROOT}/collections/${COLLECTION.id}/`;
}
export function objectsUrl(s: TestServer): string {
  return `${collectionUrl(s)}objects/`;
}

// ---------------------------------------------------------------------------------------------------
// HTTP

export interface WireResponse {
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

/** Plain HTTP as a client sends it, with a log of every request made. */
export class Wire {
  readonly requests: Array<{ url: string; status: number }> = [];

  async get(url: string, headers: Record<string, string>): Promise<WireResponse> {
    const r = await fetch(url, { headers });
    const text = await r.text();
    this.requests.push({ url, status: r.status });
    return { url, status: r.status, headers: r.headers, text };
  }
}

/** A client error that a real consumer would raise (its parser or protocol logic refusing a response). */
export class ClientBroke extends Error {}

/** Counts the requests of one paging loop; a loop that hits the bound never terminates. */
export class LoopBound {
  private n = 0;
  constructor(
    private readonly who: string,
    private readonly max = 40,
  ) {}
  tick(): void {
    if (++this.n > this.max) throw new ClientBroke(`${this.who}: paging loop did not terminate within ${this.max} requests`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Checks real clients apply to responses

/**
 * taxii2-client `valid_content_type`: spaces removed, split on `;`, every token of the Accept value must
 * be present and the first must be exactly the TAXII type. A missing header is a KeyError in Python.
 */
export function taxii2clientContentTypeOk(contentType: string | null, accept: string): boolean {
  if (contentType === null) return false;
  const got = contentType.replace(/ /g, '').split(';');
  const want = accept.replace(/ /g, '').split(';');
  return got[0] === 'application/taxii+json' && want.every((t) => got.includes(t));
}

/** Python `datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")`: a fraction of one to six digits is required. */
export const STRPTIME_F = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,6}Z$/;
/** The `X-TAXII-Date-Added-*` shape every client here can read back or echo: RFC 3339, Z, 3-6 digits. */
export const HEADER_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z$/;

export interface Envelope {
  more?: boolean;
  next?: string;
  objects?: Array<Record<string, unknown>>;
}

/**
 * The envelope rules of docs/compatibility.md requirements 13-15 as each client's loop depends on them.
 * Returns the problems found (empty when the envelope is safe for every profile).
 */
export function envelopeProblems(body: unknown): string[] {
  const out: string[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body is not a JSON object'];
  const e = body as Record<string, unknown>;
  if ('more' in e && typeof e.more !== 'boolean') out.push(`more is ${JSON.stringify(e.more)}, not a boolean`);
  if ('objects' in e && !Array.isArray(e.objects)) out.push('objects is not an array');
  if ('next' in e && (typeof e.next !== 'string' || e.next === '')) out.push(`next is ${JSON.stringify(e.next)}, not a non-empty string`);
  if (e.more === true && !('next' in e)) out.push('more:true without next');
  if (e.more === true && !(Array.isArray(e.objects) && e.objects.length > 0)) out.push('more:true with no objects');
  if (e.more !== true && 'next' in e) out.push('next on a page whose more is not true');
  for (const o of Array.isArray(e.objects) ? (e.objects as Array<Record<string, unknown>>) : []) {
    if (o.spec_version !== '2.1') out.push(`${String(o.id)} has spec_version ${JSON.stringify(o.spec_version)}`);
    for (const f of ['created', 'modified'] as const) {
      if (typeof o[f] === 'string' && !STRPTIME_F.test(o[f] as string)) out.push(`${String(o.id)} ${f} "${String(o[f])}" fails %Y-%m-%dT%H:%M:%S.%fZ`);
    }
  }
  return out;
}

export function headerProblems(r: WireResponse): string[] {
  const out: string[] = [];
  for (const h of ['X-TAXII-Date-Added-First', 'X-TAXII-Date-Added-Last']) {
    const v = r.headers.get(h);
    if (v !== null && !HEADER_TIMESTAMP.test(v)) out.push(`${h} "${v}" is not YYYY-MM-DDTHH:MM:SS.fff[fff]Z`);
  }
  return out;
}

/** Parses a TAXII 200 body the way every JSON client does, and applies the shared envelope checks. */
export function parseEnvelope(who: string, r: WireResponse): Envelope {
  if (r.status !== 200) throw new ClientBroke(`${who}: GET ${r.url} answered ${r.status}: ${r.text.slice(0, 300)}`);
  let body: unknown;
  try {
    body = JSON.parse(r.text);
  } catch {
    throw new ClientBroke(`${who}: GET ${r.url} body is not JSON`);
  }
  const problems = [...envelopeProblems(body), ...headerProblems(r)];
  if (problems.length) throw new ClientBroke(`${who}: GET ${r.url}: ${problems.join('; ')}`);
  return body as Envelope;
}

// ---------------------------------------------------------------------------------------------------
// Timestamp formats clients produce

/** Go `time.RFC3339` of a UTC time: whole seconds, `Z`. */
export function goRfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Python `strftime("%Y-%m-%dT%H:%M:%S.%fZ")`: always six fractional digits. */
export function pyStrftimeF(ms: number, micros = 0): string {
  return `${new Date(ms).toISOString().slice(0, 20)}${String((ms % 1000) * 1000 + micros).padStart(6, '0')}Z`;
}

/** taxii2-client `_format_datetime`: UTC, fraction dropped when zero, otherwise trailing zeros stripped. */
export function taxii2clientFormat(ms: number, micros = 0): string {
  const frac = String((ms % 1000) * 1000 + micros).padStart(6, '0').replace(/0+$/, '');
  return `${new Date(ms).toISOString().slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------------
// The curator and the ledger

export interface PostedVersion {
  key: string;
  id: string;
  modified: string;
  /** Index of the POST that carried it (0-based). */
  post: number;
}

export const versionOf = (o: Record<string, unknown>): string => `${String(o.id)}|${String(o.modified)}`;

/** Posts valid STIX 2.1 indicators (millisecond timestamps) with the admin's Basic credentials. */
export class Curator {
  readonly posted = new Map<string, PostedVersion>();
  readonly batches: string[][] = [];
  private readonly current = new Map<string, Record<string, unknown>>();
  private n: number;
  private lastMs = 0;

  constructor(
    private readonly s: TestServer,
    firstNumber = 1,
  ) {
    this.n = firstNumber;
  }

  get postCount(): number {
    return this.batches.length;
  }

  /** A strictly increasing millisecond timestamp from the wall clock. */
  private stamp(): string {
    this.lastMs = Math.max(Date.now(), this.lastMs + 1);
    return isoMs(this.lastMs);
  }

  /** One POST holding `fresh` new indicators and a new version of each of `revise` (revoked for `revoke`). */
  async post(opts: { fresh?: number; revise?: string[]; revoke?: string[] } = {}): Promise<string[]> {
    const t = this.stamp();
    const objs: Array<Record<string, unknown>> = [];
    for (let i = 0; i < (opts.fresh ?? 0); i++) objs.push(indicator(this.n++, { created: t, modified: t, valid_from: t }));
    for (const id of opts.revise ?? []) {
      const prev = this.current.get(id);
      if (!prev) throw new Error(`curator: ${id} was never posted`);
      objs.push({ ...prev, modified: t, name: `${String(prev.name)} (rev ${t})`, ...(opts.revoke?.includes(id) ? { revoked: true } : {}) });
    }
    if (!objs.length) return [];
    const r = await fetch(`${this.s.url}/${ROOT}/collections/${COLLECTION.id}/objects/`, {
      method: 'POST',
      headers: { Authorization: ADMIN_AUTH, Accept: TAXII, 'Content-Type': TAXII },
      body: JSON.stringify({ objects: objs }),
    });
    const status = (await r.json()) as { success_count: number; failures: unknown[] };
    if (r.status !== 202 || status.success_count !== objs.length) throw new Error(`curator: POST refused: ${r.status} ${JSON.stringify(status.failures ?? status)}`);
    const keys = objs.map(versionOf);
    objs.forEach((o, i) => {
      this.current.set(String(o.id), o);
      this.posted.set(keys[i]!, { key: keys[i]!, id: String(o.id), modified: String(o.modified), post: this.batches.length });
    });
    this.batches.push(keys);
    return keys;
  }

  /** Ids of objects posted in the given POSTs, as candidates for new versions. */
  idsOf(posts: number[]): string[] {
    return posts.flatMap((p) => this.batches[p]!.map((k) => k.split('|')[0]!));
  }

  /** The latest version of every object among the first `posts` POSTs (what `match[version]=last` serves). */
  latestAfter(posts: number): Set<string> {
    const best = new Map<string, PostedVersion>();
    for (const v of this.posted.values()) {
      if (v.post >= posts) continue;
      const b = best.get(v.id);
      if (!b || v.modified > b.modified) best.set(v.id, v);
    }
    return new Set([...best.values()].map((v) => v.key));
  }

  /** Ground truth: date_added (µs) of every stored version, read from the manifest as the admin. */
  async dateAdded(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    let url = `${this.s.url}/${ROOT}/collections/${COLLECTION.id}/manifest/?match[version]=all&limit=1000`;
    for (let i = 0; i < 50; i++) {
      const body = (await (await fetch(url, { headers: { Authorization: ADMIN_AUTH, Accept: TAXII } })).json()) as {
        more?: boolean;
        next?: string;
        objects?: Array<{ id: string; version: string; date_added: string }>;
      };
      for (const m of body.objects ?? []) out.set(`${m.id}|${m.version}`, Date.parse(m.date_added) * 1000 + Number(m.date_added.slice(23, 26)));
      if (!body.more) return out;
      url = `${this.s.url}/${ROOT}/collections/${COLLECTION.id}/manifest/?next=${encodeURIComponent(body.next!)}`;
    }
    throw new Error('manifest paging did not end');
  }
}

/** What one consumer received, poll by poll. */
export class Ledger {
  readonly polls: Array<{ label: string; postsBefore: number; keys: string[]; addedAfter?: string }> = [];

  begin(label: string, postsBefore: number, addedAfter?: string): void {
    this.polls.push({ label, postsBefore, keys: [], addedAfter });
  }

  receive(objects: Array<Record<string, unknown>> | undefined): void {
    const poll = this.polls[this.polls.length - 1];
    if (!poll) throw new Error('ledger: receive before begin');
    for (const o of objects ?? []) poll.keys.push(versionOf(o));
  }

  counts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const p of this.polls) for (const k of p.keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  }

  missing(curator: Curator): string[] {
    const c = this.counts();
    return [...curator.posted.keys()].filter((k) => !c.has(k));
  }

  /** Versions received more than once, with how many extra times. */
  redeliveries(): Map<string, number> {
    return new Map([...this.counts()].filter(([, n]) => n > 1).map(([k, n]) => [k, n - 1]));
  }

  totalRedeliveries(): number {
    return [...this.redeliveries().values()].reduce((a, b) => a + b, 0);
  }

  unknown(curator: Curator): string[] {
    return [...this.counts().keys()].filter((k) => !curator.posted.has(k));
  }
}

/**
 * Re-deliveries a full re-read causes: a version is received once per poll during which it was the
 * latest version of its object.
 */
export function fullReadCounts(curator: Curator, ledger: Ledger): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of ledger.polls) for (const k of curator.latestAfter(p.postsBefore)) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/**
 * What a poll asking `added_after = since` must receive: the latest versions, as of that poll, whose
 * date_added is after `since` (exclusive). Used for clients whose own rule decides the window.
 */
export function expectedWindow(curator: Curator, dateAdded: Map<string, number>, postsBefore: number, sinceUs: number): string[] {
  return [...curator.latestAfter(postsBefore)].filter((k) => dateAdded.get(k)! > sinceUs).sort();
}

export function usOf(ts: string): number {
  const frac = (ts.match(/\.(\d+)Z$/)?.[1] ?? '').padEnd(6, '0').slice(0, 6);
  return Math.floor(Date.parse(ts.replace(/\.\d+Z$/, 'Z')) / 1000) * 1_000_000 + Number(frac);
}

export { microsToTimestamp };

// ---------------------------------------------------------------------------------------------------
// The scenario

export interface Consumer {
  readonly ledger: Ledger;
  /** One scheduled run (or one tick, for clients that fetch one page per tick). */
  poll(label: string, postsBefore: number): Promise<void>;
}

export interface ScenarioResult {
  curator: Curator;
  ledger: Ledger;
}

/**
 * The scripted scenario: 250 indicators in three POSTs and an initial full pull; then rounds in which
 * the curator posts new indicators and new versions (some revoked) of objects the consumer already
 * pulled, with a round where nothing is posted; one scheduled poll per round; then a final empty poll.
 * Clients that take one page per tick get `ticksPerRound` ticks and drain at the end (bounded).
 */
export async function runScenario(s: TestServer, consumer: Consumer, opts: { ticksPerRound?: number; onePagePerTick?: boolean } = {}): Promise<ScenarioResult> {
  const curator = new Curator(s);
  const ticks = opts.ticksPerRound ?? 1;
  await curator.post({ fresh: 100 });
  await curator.post({ fresh: 100 });
  await curator.post({ fresh: 50 });
  const initial = curator.idsOf([0, 1, 2]);

  const pollUntilQuiet = async (label: string) => {
    // A one-page-per-tick client catches up over several ticks; bound them.
    for (let i = 0; i < 12; i++) {
      const before = consumer.ledger.polls.length;
      await consumer.poll(`${label} tick ${i + 1}`, curator.postCount);
      const got = consumer.ledger.polls.slice(before).reduce((a, p) => a + p.keys.length, 0);
      if (got === 0) return;
    }
    throw new ClientBroke(`${label}: the client did not catch up within 12 ticks`);
  };

  if (opts.onePagePerTick) await pollUntilQuiet('initial pull');
  else await consumer.poll('initial pull', curator.postCount);

  const rounds: Array<{ fresh: number; revise: string[]; revoke?: string[] }> = [
    { fresh: 30, revise: initial.slice(0, 5) },
    { fresh: 0, revise: [] },
    { fresh: 120, revise: initial.slice(5, 10), revoke: initial.slice(8, 10) },
    { fresh: 1, revise: initial.slice(10, 12) },
    { fresh: 0, revise: [] },
  ];
  for (const [i, r] of rounds.entries()) {
    await curator.post(r);
    for (let t = 0; t < ticks; t++) await consumer.poll(`round ${i + 1}${ticks > 1 ? ` tick ${t + 1}` : ''}`, curator.postCount);
  }
  if (opts.onePagePerTick) await pollUntilQuiet('drain');
  return { curator, ledger: consumer.ledger };
}
