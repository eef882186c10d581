/**
 * The ceiling for the benchmark: a bare node:http server answering each path with response bytes
 * recorded from the real server, from memory. Started as a child process, like the server under test.
 * Reads {"path": {"status", "headers", "body" (base64)}} on stdin, then prints its port.
 *
 * With `--express` it is the framework floor instead: the same answers from one express handler with no
 * middleware, which shows what express itself costs before the server does any work of its own.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

type Route = { status: number; headers: Record<string, string>; body: Buffer };

function bareServer(routes: Map<string, Route>): http.Server {
  return http.createServer((req, res) => {
    const r = routes.get(req.url ?? '');
    if (!r) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(r.status, { ...r.headers, 'content-length': r.body.length });
    res.end(r.body);
  });
}

function expressServer(routes: Map<string, Route>): http.Server {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((req, res) => {
    const r = routes.get(req.originalUrl);
    if (!r) {
      res.status(404).end();
      return;
    }
    res.status(r.status).set(r.headers).send(r.body);
  });
  return http.createServer(app);
}

let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const routes = new Map<string, Route>();
  for (const [p, r] of Object.entries(JSON.parse(input) as Record<string, { status: number; headers: Record<string, string>; body: string }>)) {
    routes.set(p, { status: r.status, headers: r.headers, body: Buffer.from(r.body, 'base64') });
  }
  const server = process.argv.includes('--express') ? expressServer(routes) : bareServer(routes);
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
});
