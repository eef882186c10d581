import type { Response } from 'express';

const DONE = Symbol('taxii.whenDone');

type Locals = { [DONE]?: Array<() => void> };

/**
 * Runs `fn` once the response has finished, or once its connection closed first (an aborted request), in
 * the order of registration. One pair of listeners per response serves every caller (the request log and
 * the metrics), instead of a pair each.
 */
export function whenDone(res: Response, fn: () => void): void {
  const locals = res.locals as Locals;
  const waiting = locals[DONE];
  if (waiting) {
    waiting.push(fn);
    return;
  }
  const fns = [fn];
  locals[DONE] = fns;
  const done = () => {
    res.off('finish', done);
    res.off('close', done);
    for (const f of fns) f();
  };
  res.on('finish', done);
  res.on('close', done);
}
