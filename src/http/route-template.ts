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
  // The web console: one label for all its pages (before /{root}/, which /console/ would also match).
  ['/console/', '^/console(/.*)?$'],
  ['/{root}/', `^/${SEGMENT}/?$`],
  ['/{root}/status/{id}/', `^/${SEGMENT}/status/${SEGMENT}/?$`],
  ['/{root}/collections/', `^/${SEGMENT}/collections/?$`],
  ['/{root}/collections/{id}/', `^/${SEGMENT}/collections/${SEGMENT}/?$`],
  ['/{root}/collections/{id}/objects/{object_id}/', `^/${SEGMENT}/collections/${SEGMENT}/objects/${SEGMENT}/?$`],
  ['/{root}/collections/{id}/objects/{object_id}/versions/', `^/${SEGMENT}/collections/${SEGMENT}/objects/${SEGMENT}/versions/?$`],
  // Extensions beside the TAXII endpoints (openapi.yaml).
  ['/{root}/collections/{id}/changes/', `^/${SEGMENT}/collections/${SEGMENT}/changes/?$`],
  ['/{root}/collections/{id}/changes/stream', `^/${SEGMENT}/collections/${SEGMENT}/changes/stream/?$`],
  ['/{root}/collections/{id}/webhooks/', `^/${SEGMENT}/collections/${SEGMENT}/webhooks/?$`],
  ['/{root}/collections/{id}/webhooks/{webhook_id}', `^/${SEGMENT}/collections/${SEGMENT}/webhooks/${SEGMENT}/?$`],
  ['/{root}/collections/{id}/exports/lists/{list}', `^/${SEGMENT}/collections/${SEGMENT}/exports/lists/${SEGMENT}/?$`],
  ['/{root}/collections/{id}/exports/csv', `^/${SEGMENT}/collections/${SEGMENT}/exports/csv/?$`],
  ['/{root}/collections/{id}/exports/misp/{file}', `^/${SEGMENT}/collections/${SEGMENT}/exports/misp/${SEGMENT}/?$`],
  ['/{root}/collections/{id}/exports/stix/bundle.json', `^/${SEGMENT}/collections/${SEGMENT}/exports/stix/bundle\\.json/?$`],
  ['/{root}/review/submissions/', `^/${SEGMENT}/review/submissions/?$`],
  ['/{root}/review/submissions/{id}/', `^/${SEGMENT}/review/submissions/${SEGMENT}/?$`],
  ['/{root}/review/{action}/', `^/${SEGMENT}/review/(provenance|approve|reject|withdraw)/?$`],
].map(([name, re]) => [name!, new RegExp(re!)] as const);

/** Everything else (unknown paths, answered 404) shares one label. */
export const OTHER_ROUTE = 'other';

export function routeTemplate(path: string): string {
  for (const [name, re] of TEMPLATES) if (re.test(path)) return name;
  return OTHER_ROUTE;
}
