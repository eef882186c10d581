import { isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { ForbiddenError, InvalidInputError } from '../../domain/errors';
import { clientAddress } from '../client-address';

/** Whether an address is this machine (IPv4 127/8, ::1, or IPv4-mapped loopback). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(a) === 4) return a.startsWith('127.');
  return a === '::1';
}

/**
 * Refuses credentials sent in clear text over the network. Plain HTTP is accepted only from loopback
 * clients (a local reverse proxy or a developer) or when a trusted proxy reports HTTPS through
 * X-Forwarded-Proto (express sets req.secure from it only when `trust proxy` trusts that proxy).
 * A refused password has already crossed the network, so the message asks the user to rotate it.
 */
export function requireSecureCredentials(opts: { allowInsecure: boolean }): RequestHandler {
  return (req, _res, next) => {
    // Cheapest first: most polls send no credentials (req.secure parses the forwarding headers a trusted proxy sets).
    if (opts.allowInsecure || !sendsCredentials(req) || req.secure || isLoopback(clientAddress(req))) return next();
    next(
      new ForbiddenError(
        'Credentials are only accepted over HTTPS; this request came over plain HTTP. Use the https:// URL of this server (and consider the credentials sent exposed).',
      ),
    );
  };
}

function sendsCredentials(req: Request): boolean {
  return Boolean(req.headers.authorization);
}

/** RFC 9112 §3.2: a server answers 400 to an HTTP/1.1 request without a Host header. */
export const requireHost: RequestHandler = (req, _res, next) => {
  if (req.headers.host === undefined && (req.httpVersionMajor > 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1))) {
    return next(new InvalidInputError("An HTTP/1.1 request must carry a Host header (RFC 9112 §3.2); send Host: with this server's name and port."));
  }
  next();
};

/**
 * The scheme and authority the client addressed: its Host header, or, for an HTTP/1.0 request without
 * one, the address and port it connected to.
 */
export function requestOrigin(req: Request): string {
  let host = req.get('host');
  if (!host) {
    const socket = req.socket;
    const address = socket.localAddress?.startsWith('::ffff:') ? socket.localAddress.slice(7) : socket.localAddress;
    host = `${address && isIP(address) === 6 ? `[${address}]` : (address ?? 'localhost')}:${socket.localPort}`;
  }
  return `${req.protocol}://${host}`;
}
