import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { endText } from '../../../src/http/send-text';

let text = '';
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    void endText(res, text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(method = 'GET', slowReader = false): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        if (slowReader) {
          res.pause();
          setTimeout(() => res.resume(), 2);
        }
      });
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Text of `length` characters with a surrogate pair (an emoji, 4 bytes in UTF-8) across every 64 KiB slice boundary. */
function textWithPairsAcrossSlices(length: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < length) {
    const filler = 'é'.repeat(65_535 - (n % 65_536));
    parts.push(filler, '🐉');
    n += filler.length + 2;
  }
  return parts.join('');
}

test.each([
  ['short text, written at once', 'TAXII ラザルス 🐉'],
  ['a megabyte of ASCII', 'x'.repeat(1 << 20)],
  ['long text with surrogate pairs across slice boundaries', textWithPairsAcrossSlices(400_000)],
])('Given %s, When it is sent, Then the body is its exact UTF-8 bytes and Content-Length says so', async (_what, t) => {
  text = t;
  const expected = Buffer.from(t, 'utf8');
  const r = await get();
  expect(r.body.equals(expected)).toBe(true);
  if (t.length > 65_536) expect(Number(r.headers['content-length'])).toBe(expected.length);
});

test('Given a reader that keeps pausing, When a long text is sent, Then every byte arrives in order', async () => {
  text = textWithPairsAcrossSlices(1_500_000);
  const r = await get('GET', true);
  expect(r.body.equals(Buffer.from(text, 'utf8'))).toBe(true);
});

test('Given a HEAD request, When a long text would be sent, Then the length is declared and no body is sent', async () => {
  text = 'y'.repeat(300_000);
  const r = await get('HEAD');
  expect(Number(r.headers['content-length'])).toBe(300_000);
  expect(r.body.length).toBe(0);
});
