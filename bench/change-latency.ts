/**
 * Commit-to-receiver latency of the change surfaces: objects are posted one per request at a steady rate,
 * and the time from each POST's 202 (the commit has happened by then) to its arrival is measured at a
 * webhook receiver and at an SSE client of changes/stream.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Latency {
  received: number;
  sent: number;
  p50: number;
  p99: number;
}

const TAXII = 'application/taxii+json;version=2.1';

function percentiles(values: number[], sent: number): Latency {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => (v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))]! : NaN);
  return { received: v.length, sent, p50: Math.round(at(0.5)), p99: Math.round(at(0.99)) };
}

function indicator(n: number): Record<string, unknown> {
  const hex = n.toString(16).padStart(12, '0');
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--0b5e0000-0000-4000-8000-${hex}`,
    created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: `latency probe ${n}`,
    pattern: `[ipv4-addr:value = '10.9.${(n >> 8) & 255}.${n & 255}']`, pattern_type: 'stix', pattern_version: '2.1', valid_from: '2026-01-01T00:00:00Z',
  };
}

/** Posts `count` objects at `perSecond` to `collectionUrl` and measures both surfaces. */
export async function measureChangeLatency(collectionUrl: string, auth: string, opts: { perSecond: number; count: number }): Promise<{ webhook: Latency; sse: Latency }> {
  const committed = new Map<string, number>();
  const hookArrivals = new Map<string, number>();
  const sseArrivals = new Map<string, number>();

  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const now = performance.now();
      for (const c of JSON.parse(body).changes as Array<{ id: string }>) if (!hookArrivals.has(c.id)) hookArrivals.set(c.id, now);
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const sub = await fetch(`${collectionUrl}/webhooks/`, {
    method: 'POST',
    headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: auth },
    body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` }),
  });
  if (sub.status !== 201) throw new Error(`subscribing answered ${sub.status}: ${await sub.text()}`);

  const abort = new AbortController();
  const stream = await fetch(`${collectionUrl}/changes/stream`, { headers: { Accept: 'text/event-stream', Authorization: auth }, signal: abort.signal });
  const reading = (async () => {
    let buf = '';
    try {
      for await (const chunk of stream.body!.pipeThrough(new TextDecoderStream())) {
        buf += chunk;
        for (let i; (i = buf.indexOf('\n\n')) >= 0; buf = buf.slice(i + 2)) {
          const data = buf.slice(0, i).split('\n').find((l) => l.startsWith('data: '));
          if (data) sseArrivals.set(JSON.parse(data.slice(6)).id, performance.now());
        }
      }
    } catch {
      // aborted at the end
    }
  })();

  const interval = 1000 / opts.perSecond;
  const start = performance.now();
  const posts: Promise<void>[] = [];
  for (let n = 0; n < opts.count; n++) {
    const wait = start + n * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const obj = indicator(n);
    posts.push(
      fetch(`${collectionUrl}/objects/`, { method: 'POST', headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: auth }, body: JSON.stringify({ objects: [obj] }) }).then(async (r) => {
        await r.text();
        committed.set(obj.id as string, performance.now());
      }),
    );
  }
  await Promise.all(posts);
  const deadline = performance.now() + 10_000;
  while ((hookArrivals.size < opts.count || sseArrivals.size < opts.count) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  abort.abort();
  await reading;
  await new Promise((r) => receiver.close(r));
  // An arrival before the 202 was read counts as 0: the commit had happened.
  const delays = (arrivals: Map<string, number>) => [...arrivals].filter(([id]) => committed.has(id)).map(([id, t]) => Math.max(0, t - committed.get(id)!));
  return { webhook: percentiles(delays(hookArrivals), opts.count), sse: percentiles(delays(sseArrivals), opts.count) };
}
