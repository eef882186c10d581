import type { Request } from 'express';
import { InvalidInputError, PayloadTooLargeError } from '../../domain/errors';

/**
 * Reads the request body as UTF-8 text, refusing more than `limit` bytes. The declared Content-Length
 * is checked first, and the bytes actually read are counted too, so chunked bodies are limited as well.
 */
export function readBody(req: Request, limit: number): Promise<string> {
  const declared = req.get('Content-Length');
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) {
    req.resume();
    return Promise.reject(new PayloadTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
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
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish(new PayloadTooLargeError(limit));
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      const buf = Buffer.concat(chunks, size);
      const text = buf.toString('utf8');
      if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(buf)) {
        return finish(new InvalidInputError('The request body is not valid UTF-8 text.'));
      }
      finish(undefined, text);
    });
    req.on('error', (e) => finish(e));
    req.on('aborted', () => finish(new InvalidInputError('The request body was cut off before it ended.')));
  });
}
