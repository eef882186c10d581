import type { Request } from 'express';

const ADDRESS = Symbol('taxii.clientAddress');

/**
 * The client's address as express reports it (`req.ip`: the socket's peer, or the address a trusted proxy
 * forwarded), worked out once per request: express parses X-Forwarded-For and applies `trust proxy` on
 * every read, and a poll reads it in both rate limits and in authentication.
 */
export function clientAddress(req: Request): string {
  const r = req as Request & { [ADDRESS]?: string };
  return (r[ADDRESS] ??= req.ip ?? '');
}
