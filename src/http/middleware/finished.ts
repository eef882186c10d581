import type { ServerResponse } from 'node:http';

const CALLBACKS = Symbol('taxii.whenFinished');

type Tracked = ServerResponse & { [CALLBACKS]?: Array<() => void> };

/**
 * Runs `fn` once, when the response has finished or its connection closed before it could. Every caller
 * (the request log, the metrics) shares one 'finish' and one 'close' listener per response; the callbacks
 * run in the order they were given.
 */
export function whenFinished(res: ServerResponse, fn: () => void): void {
  const r = res as Tracked;
  const callbacks = r[CALLBACKS];
  if (callbacks) {
    callbacks.push(fn);
    return;
  }
  const list = (r[CALLBACKS] = [fn]);
  let fired = false;
  const done = () => {
    if (fired) return;
    fired = true;
    for (const f of list) f();
  };
  res.on('finish', done);
  res.on('close', done);
}
