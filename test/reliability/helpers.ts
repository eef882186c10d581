/**
 * Helpers for the reliability suites: a test server listening on a real socket with the same
 * client-error handling as `serve`, raw HTTP exchanges, and a captured log.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { answerClientErrors, SERVER_OPTIONS } from '../../src/http/client-errors';
import { startTestServer, type TestServer } from '../helpers/server';

export interface RawServer {
  s: TestServer;
  port: number;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export function capturingLogger(): { log: Logger; logs: Array<Record<string, unknown>> } {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      cb();
    },
  });
  return { log: pino({ level: 'info' }, sink), logs };
}

/** The test server's app behind a node HTTP server configured as `serve` configures it. */
export async function startRawServer(opts: Parameters<typeof startTestServer>[0] = {}): Promise<RawServer> {
  const { log, logs } = capturingLogger();
  const s = await startTestServer({ ...opts, runtime: { log, ...opts.runtime } });
  const server = http.createServer(SERVER_OPTIONS, s.rt.app);
  answerClientErrors(server, log);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    s,
    port: (server.address() as net.AddressInfo).port,
    logs,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await s.close();
    },
  };
}

/** Sends raw bytes, half-closes when asked, and returns everything received until the server closes. */
export function rawExchange(port: number, bytes: string | Buffer, opts: { end?: boolean; waitMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    }, opts.waitMs ?? 5000);
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', (e) => {
      clearTimeout(timer);
      if (chunks.length) resolve(Buffer.concat(chunks).toString('latin1'));
      else reject(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    sock.write(bytes, () => {
      if (opts.end) sock.end();
    });
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits a stream of HTTP/1.1 responses (Content-Length framed) into responses. */
export function parseResponses(text: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) break;
    const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const i = l.indexOf(':');
      headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    out.push({ status: Number(statusLine!.split(' ')[1]), headers, body: rest.slice(headEnd + 4, headEnd + 4 + length) });
    rest = rest.slice(headEnd + 4 + length);
  }
  return out;
}
