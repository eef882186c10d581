/**
 * The route template a request path falls under, for logs and metrics: a bounded set of labels, so a
 * client walking random paths cannot create new metric series. Matches the routes of taxii-routes.ts
 * (trailing slash optional, as the router is not strict) and the operational endpoints.
 */
const SEGMENT = '[^/]+';
const TEMPLATES: ReadonlyArray<readonly [string, RegExp]> = [
  // The polls first: most requests are polls, and no path matches two of these.
  ['/{root}/collections/{id}/objects/', `^/${SEGMENT}/collections/${SEGMENT}/objects/?$`],
  ['/{root}/collections/{id}/manifest/', `^/${SEGMENT}/collections/${SEGMENT}/manifest/?$`],
  ['/health', '^/health/?$'],
  ['/healthz', '^/healthz/?$'],
  ['/readyz', '^/readyz/?$'],
  ['/metrics', '^/metrics/?$'],
  ['/taxii2/', '^/taxii2/?$'],
  ['/{root}/', `^/${SEGMENT}/?$`],
  ['/{root}/status/{id}/', `^/${SEGMENT}/status/${SEGMENT}/?$`],
  ['/{root}/collections/', `^/${SEGMENT}/collections/?$`],
  ['/{root}/collections/{id}/', `^/${SEGMENT}/collections/${SEGMENT}/?$`],
  ['/{root}/collections/{id}/objects/{object_id}/', `^/${SEGMENT}/collections/${SEGMENT}/objects/${SEGMENT}/?$`],
  ['/{root}/collections/{id}/objects/{object_id}/versions/', `^/${SEGMENT}/collections/${SEGMENT}/objects/${SEGMENT}/versions/?$`],
].map(([name, re]) => [name!, new RegExp(re!)] as const);

/** Everything else (unknown paths, answered 404) shares one label. */
export const OTHER_ROUTE = 'other';

export function routeTemplate(path: string): string {
  for (const [name, re] of TEMPLATES) if (re.test(path)) return name;
  return OTHER_ROUTE;
}
