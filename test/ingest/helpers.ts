import { ADMIN_AUTH, TAXII, type TestServer } from '../helpers/server';

export interface Status {
  id: string;
  status: 'pending' | 'complete';
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  successes: Array<{ id: string; version: string; message?: string }>;
  failures: Array<{ id: string; version: string; message?: string }>;
  pendings: Array<{ id: string; version: string }>;
}

/** GET the status as `auth` (default the administrator) over a base URL. */
export async function getStatus(base: string, id: string, auth = ADMIN_AUTH, root = 'api1'): Promise<{ code: number; body: Status }> {
  const r = await fetch(`${base}/${root}/status/${id}/`, { headers: { Accept: TAXII, Authorization: auth } });
  return { code: r.status, body: (await r.json()) as Status };
}

/** Polls the status until complete; every reading must show no less progress than the one before. */
export async function waitComplete(base: string, id: string, timeoutMs = 120_000): Promise<{ final: Status; readings: number }> {
  const until = Date.now() + timeoutMs;
  let last: Status | undefined;
  let readings = 0;
  for (;;) {
    const { code, body } = await getStatus(base, id);
    if (code !== 200) throw new Error(`status ${id}: ${code} ${JSON.stringify(body)}`);
    readings++;
    if (last) {
      if (body.success_count < last.success_count || body.failure_count < last.failure_count || body.pending_count > last.pending_count) {
        throw new Error(`progress went backwards: ${JSON.stringify(counts(last))} then ${JSON.stringify(counts(body))}`);
      }
    }
    if (body.success_count + body.failure_count + body.pending_count !== body.total_count) throw new Error(`counts do not add up: ${JSON.stringify(counts(body))}`);
    last = body;
    if (body.status === 'complete') return { final: body, readings };
    if (Date.now() > until) throw new Error(`status ${id} still pending: ${JSON.stringify(counts(body))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function counts(s: Status): Record<string, unknown> {
  return { status: s.status, total: s.total_count, success: s.success_count, failure: s.failure_count, pending: s.pending_count };
}

/** Every object id of a collection, paging with next. */
export async function listIds(base: string, collectionPath: string, auth = ADMIN_AUTH): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined;
  do {
    const r = await fetch(`${base}${collectionPath}/objects/?limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`, { headers: { Accept: TAXII, Authorization: auth } });
    if (r.status !== 200) throw new Error(`GET objects: ${r.status}`);
    const page = (await r.json()) as { objects?: Array<{ id: string }>; more?: boolean; next?: string };
    for (const o of page.objects ?? []) ids.push(o.id);
    next = page.more ? page.next : undefined;
  } while (next);
  return ids;
}

export async function post(s: Pick<TestServer, 'url'>, collectionPath: string, body: string, auth = ADMIN_AUTH): Promise<{ code: number; body: Status }> {
  const r = await fetch(`${s.url}${collectionPath}/objects/`, { method: 'POST', headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: auth }, body });
  return { code: r.status, body: (await r.json()) as Status };
}
