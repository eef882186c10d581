/**
 * The ceiling for the benchmark: a bare node:http server answering each path with response bytes
 * recorded from the real server, from memory. Started as a child process, like the server under test.
 * Reads {"path": {"status", "headers", "body" (base64)}} on stdin, then prints its port.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const routes = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
  for (const [p, r] of Object.entries(JSON.parse(input) as Record<string, { status: number; headers: Record<string, string>; body: string }>)) {
    routes.set(p, { status: r.status, headers: r.headers, body: Buffer.from(r.body, 'base64') });
  }
  const server = http.createServer((req, res) => {
    const r = routes.get(req.url ?? '');
    if (!r) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(r.status, { ...r.headers, 'content-length': r.body.length });
    res.end(r.body);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
});
