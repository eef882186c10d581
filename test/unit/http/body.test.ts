import { PassThrough } from 'node:stream';
import type { Request } from 'express';
import { readBody } from '../../../src/http/middleware/body';

/** A request whose body arrives in the given pieces. */
function requestOf(pieces: Buffer[], headers: Record<string, string> = {}): Request {
  const stream = new PassThrough();
  const req = Object.assign(stream, { get: (name: string) => headers[name] }) as unknown as Request;
  setImmediate(() => {
    for (const p of pieces) stream.write(p);
    stream.end();
  });
  return req;
}

/** `bytes` cut at every position in turn: the decoder sees each multi-byte sequence split in two. */
function everySplit(bytes: Buffer): Buffer[][] {
  return Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.subarray(0, i), bytes.subarray(i)]);
}

const TEXT = '{"objects":[{"name":"Lazarus ラザルス 🐉","description":"é"}]}';

test('Given a UTF-8 body cut anywhere between chunks, When it is read, Then the text is exactly what was sent', async () => {
  for (const pieces of everySplit(Buffer.from(TEXT, 'utf8'))) {
    await expect(readBody(requestOf(pieces), 1024)).resolves.toBe(TEXT);
  }
});

test('Given a body of many chunks, When it is read, Then the text is their concatenation', async () => {
  const big = `{"objects":[${Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"s":"ü"}`).join(',')}]}`;
  const bytes = Buffer.from(big, 'utf8');
  const pieces = Array.from({ length: Math.ceil(bytes.length / 7_001) }, (_, i) => bytes.subarray(i * 7_001, (i + 1) * 7_001));
  await expect(readBody(requestOf(pieces), bytes.length)).resolves.toBe(big);
});

test('Given a body that holds U+FFFD as text, When it is read, Then it is accepted as posted', async () => {
  const text = '{"name":"\uFFFD replacement character"}';
  for (const pieces of everySplit(Buffer.from(text, 'utf8'))) {
    await expect(readBody(requestOf(pieces), 1024)).resolves.toBe(text);
  }
});

test.each([
  ['a lone continuation byte', Buffer.from([0x7b, 0x80, 0x7d])],
  ['an overlong encoding', Buffer.from([0x7b, 0xc0, 0xaf, 0x7d])],
  ['a sequence cut off at the end', Buffer.from([0x7b, 0x7d, 0xe3, 0x83])],
  ['an encoded surrogate', Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d])],
  ['Latin-1 text', Buffer.from('{"name":"café"}', 'latin1')],
])('Given a body with %s, When it is read, Then it is refused as not UTF-8, however it is split', async (_what, bytes) => {
  for (const pieces of everySplit(bytes)) {
    await expect(readBody(requestOf(pieces), 1024)).rejects.toMatchObject({ httpStatus: 400, description: expect.stringContaining("not valid UTF-8") });
  }
});

test('Given a body longer than the limit, When it is read, Then it is refused as too large whether or not its length was declared', async () => {
  const bytes = Buffer.alloc(2_000, 0x20);
  await expect(readBody(requestOf([bytes]), 1_000)).rejects.toMatchObject({ httpStatus: 413 });
  await expect(readBody(requestOf([bytes], { 'Content-Length': '2000' }), 1_000)).rejects.toMatchObject({ httpStatus: 413 });
});

test('Given a body over a limit that is not the API root’s, When it is read, Then the refusal names that limit and what to do', async () => {
  const bytes = Buffer.alloc(2_000, 0x20);
  await expect(readBody(requestOf([bytes]), 1_000, { name: 'the limit of a review request', fix: 'send a shorter note' })).rejects.toMatchObject({
    httpStatus: 413,
    description: 'The request body exceeds the limit of a review request of 1000 bytes; send a shorter note.',
  });
  await expect(readBody(requestOf([bytes]), 1_000)).rejects.toMatchObject({ description: expect.stringContaining("this API root's max_content_length of 1000 bytes") });
});

test.each(['gzip', 'deflate', 'br', 'x-gzip', 'gzip, identity'])('Given a body sent with Content-Encoding %s, When it is read, Then it is refused with 415 naming the coding', async (coding) => {
  const text = '{"objects":[]}';
  await expect(readBody(requestOf([Buffer.from(text)], { 'Content-Encoding': coding }), 1_000)).rejects.toMatchObject({
    httpStatus: 415,
    description: expect.stringContaining(`Content-Encoding ${coding} is not supported`),
    headers: { 'Accept-Encoding': 'identity' },
  });
});

test.each(['identity', 'IDENTITY', ''])('Given a body sent with Content-Encoding "%s", When it is read, Then it is read as sent', async (coding) => {
  const text = '{"objects":[]}';
  await expect(readBody(requestOf([Buffer.from(text)], { 'Content-Encoding': coding }), 1_000)).resolves.toBe(text);
});
