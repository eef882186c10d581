import { Router } from 'express';
import type { Health } from '../../metrics/health';

/**
 * /healthz (alive: the process answers, nothing else is checked) and /readyz (database reachable,
 * migrations current, not shutting down). Outside the TAXII tree, unauthenticated, JSON.
 */
export function opsRoutes(health: Health): Router {
  const r = Router({ strict: false, caseSensitive: true });
  r.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'alive' });
  });
  r.get('/readyz', async (_req, res) => {
    const state = await health.check();
    res.status(state.ready ? 200 : 503);
    if (!state.ready) res.setHeader('Retry-After', '5');
    res.json({ status: state.ready ? 'ready' : 'not ready', ...state });
  });
  return r;
}
