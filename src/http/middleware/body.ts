import type { Request } from 'express';
import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { API_ROOT_BODY_LIMIT, InvalidInputError, PayloadTooLargeError, UnsupportedContentEncodingError, type BodyLimit } from '../../domain/errors';

/**
 * Reads the request body as UTF-8 text, refusing more than `limit` bytes. The declared Content-Length
 * is checked first, and the bytes actually read are counted too, so chunked bodies are limited as well.
 *
 * Each chunk is decoded as it arrives, so a body of many megabytes is never copied and decoded in one
 * go on the event loop. A body that is not valid UTF-8 is refused: the decoder turns a bad sequence into
 * U+FFFD, and only a body whose text holds that character is checked byte for byte (it may also have
 * been posted as such).
 */
export function readBody(req: Request, limit: number, limitName: BodyLimit = API_ROOT_BODY_LIMIT): Promise<string> {
  // Compressed bodies are not decoded: read as text they would be refused as "not UTF-8" or, worse,
  // stored as whatever bytes happened to decode.
  const encoding = req.get('Content-Encoding');
  if (encoding !== undefined && !/^\s*(identity\s*)?$/i.test(encoding)) {
    req.resume();
    return Promise.reject(new UnsupportedContentEncodingError(encoding));
  }
  const declared = req.get('Content-Length');
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) {
    req.resume();
    return Promise.reject(new PayloadTooLargeError(limit, limitName));
  }
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const parts: string[] = [];
    const chunks: Buffer[] = [];
    let size = 0;
    let replaced = false;
    let done = false;
    const finish = (err?: Error, text?: string) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (err) {
        // Stop reading; the connection is closed after the error response so nothing more is buffered.
        req.resume();
        reject(err);
      } else resolve(text!);
    };
    const add = (part: string) => {
      if (!part) return;
      if (part.includes('\uFFFD')) replaced = true;
      parts.push(part);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish(new PayloadTooLargeError(limit, limitName));
      chunks.push(chunk);
      add(decoder.write(chunk));
    };
    req.on('data', onData);
    req.on('end', () => {
      add(decoder.end());
      if (replaced && !isUtf8(Buffer.concat(chunks, size))) {
        return finish(new InvalidInputError('The request body is not valid UTF-8 text.'));
      }
      finish(undefined, parts.join(''));
    });
    req.on('error', (e) => finish(e));
    req.on('aborted', () => finish(new InvalidInputError('The request body was cut off before it ended.')));
  });
}
