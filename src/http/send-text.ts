import type { ServerResponse } from 'node:http';
import { WorkSlicer } from '../common/event-loop';

/** Text up to this many characters goes out in one write. */
const ONE_WRITE_CHARS = 64 * 1024;

/**
 * Ends the response with `text`, given whole, already encoded, or as parts (stringifyParts) that never
 * split a surrogate pair. A long text (a status resource of a large envelope, a page of large objects) is encoded and
 * written a slice at a time, its Content-Length declared first: the event loop gets a turn between
 * slices, and a slow reader is waited for ('drain') rather than buffered for. Slices never split a
 * surrogate pair either, so the bytes are exactly those of the whole text encoded at once.
 */
export function endText(res: ServerResponse, text: string | readonly string[] | Buffer): Promise<void> | undefined {
  // Already encoded (a page kept by the page cache, at most 256 KiB): one write, the buffer itself queued.
  if (Buffer.isBuffer(text)) {
    res.end(text);
    return undefined;
  }
  if (typeof text === 'string') {
    if (text.length <= ONE_WRITE_CHARS) {
      res.end(text);
      return undefined;
    }
    return endSliced(res, [text]);
  }
  if (text.length === 1 && text[0]!.length <= ONE_WRITE_CHARS) {
    res.end(text[0]);
    return undefined;
  }
  return endSliced(res, text);
}

async function endSliced(res: ServerResponse, parts: readonly string[]): Promise<void> {
  const slicer = new WorkSlicer();
  const slices: Buffer[] = [];
  let length = 0;
  for (const part of parts) {
    for (let start = 0; start < part.length; ) {
      let end = Math.min(part.length, start + ONE_WRITE_CHARS);
      if (end < part.length && isHighSurrogate(part.charCodeAt(end - 1))) end--;
      const slice = Buffer.from(start === 0 && end === part.length ? part : part.slice(start, end), 'utf8');
      slices.push(slice);
      length += slice.length;
      start = end;
      await slicer.step();
    }
  }
  res.setHeader('Content-Length', length);
  for (const slice of slices) {
    const flowing = res.write(slice);
    if (!flowing) await drainedOrClosed(res);
    else await slicer.step();
    if (res.destroyed) return;
  }
  res.end();
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** Resolves once a response that refused more data ('write' returned false) drains, or once it is closed. */
export function drainedOrClosed(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
