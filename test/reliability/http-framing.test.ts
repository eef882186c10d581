/**
 * Requests node's HTTP parser refuses before express sees them (framing errors, oversized request line
 * or headers) get a TAXII error resource with the right status, and are logged.
 */
import { ADMIN_AUTH, IDS, TAXII } from '../helpers/server';
import { parseResponses, rawExchange, startRawServer, type RawServer } from './helpers';

const C = `/api1/collections/${IDS.writable}`;
let srv: RawServer;

beforeAll(async () => {
  srv = await startRawServer();
});
afterAll(async () => {
  await srv.close();
});

function head(lines: string[]): string {
  return `${lines.join('\r\n')}\r\n\r\n`;
}

const base = [`Host: 127.0.0.1`, `Accept: ${TAXII}`, `Authorization: ${ADMIN_AUTH}`];

function expectTaxiiError(text: string, status: number): void {
  const responses = parseResponses(text);
  expect(responses.length).toBeGreaterThan(0);
  const last = responses[responses.length - 1]!;
  expect(last.status).toBe(status);
  expect(last.headers['content-type']).toBe(TAXII);
  const body = JSON.parse(last.body);
  expect(body).toMatchObject({ http_status: String(status), title: expect.any(String), description: expect.any(String), error_id: expect.any(String) });
  const logged = srv.logs.find((l) => l.error_id === body.error_id);
  expect(logged).toMatchObject({ status });
}

describe('framing errors', () => {
  test('When Content-Length and Transfer-Encoding are both sent, Then a 400 TAXII error names the problem', async () => {
    const text = await rawExchange(srv.port, head([`POST ${C}/objects/ HTTP/1.1`, ...base, `Content-Type: ${TAXII}`, 'Content-Length: 5', 'Transfer-Encoding: chunked']) + '0\r\n\r\n');
    expectTaxiiError(text, 400);
    expect(JSON.parse(parseResponses(text)[0]!.body).description).toMatch(/Transfer-Encoding/);
  });

  test('When Content-Length is longer than the body and the client stops sending, Then a 400 TAXII error', async () => {
    const text = await rawExchange(srv.port, head([`POST ${C}/objects/ HTTP/1.1`, ...base, `Content-Type: ${TAXII}`, 'Content-Length: 100']) + '{"objects":[]}', { end: true });
    expectTaxiiError(text, 400);
  });

  test('When two different Content-Length headers are sent, Then a 400 TAXII error', async () => {
    const text = await rawExchange(srv.port, head([`POST ${C}/objects/ HTTP/1.1`, ...base, `Content-Type: ${TAXII}`, 'Content-Length: 2', 'Content-Length: 3']) + '{}x');
    expectTaxiiError(text, 400);
  });

  test('When Transfer-Encoding is obfuscated, Then a 400 TAXII error', async () => {
    const text = await rawExchange(srv.port, head([`POST ${C}/objects/ HTTP/1.1`, ...base, `Content-Type: ${TAXII}`, 'Transfer-Encoding : chunked']) + '0\r\n\r\n');
    expectTaxiiError(text, 400);
  });

  test('When Content-Length is shorter than the body, Then the left-over bytes get a 400 TAXII error instead of a bare 400', async () => {
    const text = await rawExchange(srv.port, head([`GET /taxii2/ HTTP/1.1`, ...base, 'Content-Length: 2']) + '{}garbage that is not a request\r\n\r\n');
    expectTaxiiError(text, 400);
  });

  test('When the request line is not HTTP, Then a 400 TAXII error', async () => {
    const text = await rawExchange(srv.port, 'NOT AN HTTP REQUEST\r\n\r\n');
    expectTaxiiError(text, 400);
  });
});

describe('oversized request line and headers', () => {
  test('When a header is 80 KB long, Then a 431 TAXII error', async () => {
    const text = await rawExchange(srv.port, head([`GET /taxii2/ HTTP/1.1`, ...base, `X-Big: ${'a'.repeat(80 * 1024)}`]));
    expectTaxiiError(text, 431);
  });

  test('When the path holds a 100,000-character id, Then a 431 TAXII error', async () => {
    const text = await rawExchange(srv.port, head([`GET ${C}/objects/indicator--${'a'.repeat(100_000)}/ HTTP/1.1`, ...base]));
    expectTaxiiError(text, 431);
  });

  test('When the URL carries 10,000 match[id] values, Then a 431 TAXII error', async () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `indicator--00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);
    const text = await rawExchange(srv.port, head([`GET ${C}/objects/?match[id]=${ids.join(',')} HTTP/1.1`, ...base]));
    expectTaxiiError(text, 431);
  });
});

describe('the Host header', () => {
  /** An error the app answers (not node's parser): a TAXII error resource, logged with its request id. */
  function expectAppError(text: string, status: number): Record<string, unknown> {
    const res = parseResponses(text)[0]!;
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe(TAXII);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ http_status: String(status), title: expect.any(String), description: expect.any(String), error_id: expect.any(String) });
    expect(srv.logs.find((l) => l.request_id === body.error_id)).toMatchObject({ status });
    return body;
  }
  /** The body of a response that ends when the connection closes (HTTP/1.0). */
  const bodyOf = (text: string) => text.slice(text.indexOf('\r\n\r\n') + 4);

  test('When an HTTP/1.1 request has no Host header, Then a 400 TAXII error asks for one', async () => {
    const text = await rawExchange(srv.port, head([`GET /taxii2/ HTTP/1.1`, `Accept: ${TAXII}`, 'Connection: close']));
    expect(expectAppError(text, 400).description).toMatch(/Host header/);
  });

  test('When an HTTP/1.0 request has no Host header, Then discovery names the address the client connected to', async () => {
    const text = await rawExchange(srv.port, head([`GET /taxii2/ HTTP/1.0`, `Accept: ${TAXII}`]));
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    const body = JSON.parse(bodyOf(text));
    expect(body.api_roots[0]).toBe(`http://127.0.0.1:${srv.port}/api1/`);
    expect(body.default).toBe(`http://127.0.0.1:${srv.port}/api1/`);
  });

  test('When a request names an absolute URL (as sent to proxies), Then it is logged under its own route and path', async () => {
    const text = await rawExchange(srv.port, head([`GET http://127.0.0.1:${srv.port}/taxii2/?x=1 HTTP/1.1`, ...base, 'Connection: close']));
    const res = parseResponses(text)[0]!;
    expect(res.status).toBe(200);
    const id = res.headers['x-request-id'];
    expect(srv.logs.find((l) => l.request_id === id)).toMatchObject({ route: '/taxii2/', path: '/taxii2/' });
  });

  test('When an HTTP/1.0 request names a Host, Then discovery uses it', async () => {
    const text = await rawExchange(srv.port, head([`GET /taxii2/ HTTP/1.0`, `Accept: ${TAXII}`, 'Host: taxii.example.org']));
    expect(JSON.parse(bodyOf(text)).api_roots[0]).toBe('http://taxii.example.org/api1/');
  });
});

describe('content codings', () => {
  test('When a POST body is sent gzip-encoded, Then a 415 TAXII error names the coding and says to send it uncompressed', async () => {
    const body = '{"objects":[]}';
    const text = await rawExchange(
      srv.port,
      head([`POST ${C}/objects/ HTTP/1.1`, ...base, `Content-Type: ${TAXII}`, 'Content-Encoding: gzip', `Content-Length: ${body.length}`, 'Connection: close']) + body,
    );
    const res = parseResponses(text)[0]!;
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(res.headers['accept-encoding']).toBe('identity');
    expect(JSON.parse(res.body).description).toMatch(/Content-Encoding gzip is not supported; send the body uncompressed/);
  });
});

test('When a well-formed request follows on another connection, Then it is served normally', async () => {
  const text = await rawExchange(srv.port, head([`GET /taxii2/ HTTP/1.1`, ...base, 'Connection: close']));
  expect(parseResponses(text)[0]!.status).toBe(200);
});
