import type { TLSSocket } from 'node:tls';
import type { Request, RequestHandler, Response } from 'express';
import type { AuthService } from '../../taxii/services/auth-service';
import type { Principal } from '../../taxii/access';
import { clientAddress } from '../client-address';

/** Resolves the caller to a principal (anonymous when no credentials are sent); bad credentials are a 401. */
export function authenticate(auth: AuthService): RequestHandler {
  return (req, res, next) => {
    auth.authenticate(req.get('Authorization'), { remoteAddress: clientAddress(req), clientCertSubject: verifiedCertSubject(req) }).then(
      (principal) => {
        res.locals.principal = principal;
        next();
      },
      next,
    );
  };
}

/** The subject CN of a client certificate that chained to the configured CA; anything else is ignored. */
function verifiedCertSubject(req: Request): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (!socket.encrypted || !socket.authorized || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' && cn ? cn : Array.isArray(cn) ? cn[0] : undefined;
}

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
