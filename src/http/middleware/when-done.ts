import type { Response } from 'express';

const DONE = Symbol('taxii.whenDone');

type Locals = { [DONE]?: Array<() => void> };

/**
 * Runs `fn` once the response has finished, or once its connection closed first (an aborted request), in
 * the order of registration. Node emits 'close' on every server response exactly once: a tick after
 * 'finish' when it was sent, or when its connection went first. One listener per response serves every
 * caller (the request log and the metrics), and none is removed: the response is dropped with it.
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
  res.on('close', () => {
    for (const f of fns) f();
  });
}
