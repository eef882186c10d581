import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { RequestHandler } from 'express';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMA_BASE = 'https://dprk-taxii.local/schemas/taxii/';

export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | number | string[] | undefined>;
  body: string;
}

interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: { $ref?: string } }>; headers?: Record<string, unknown> }>;
}

/** Checks recorded responses against openapy.yaml and the schemas in schemas/taxii/ it refers to. */
export class OpenApiContract {
  private readonly doc: any;
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly paths: Array<{ template: string; regex: RegExp }>;

  constructor() {
    this.doc = YAML.parse(fs.readFileSync(path.join(ROOT, 'openapi.yaml'), 'utf8'));
    for (const f of fs.readdirSync(path.join(ROOT, 'schemas', 'taxii'))) {
      this.ajv.addSchema(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'taxii', f), 'utf8')));
    }
    this.paths = Object.keys(this.doc.paths)
      .map((template) => ({
        template,
        regex: new RegExp(`^${template.replace(/\/$/, '').replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
        params: (template.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.params - b.params || b.template.length - a.template.length);
  }

  private schemaFor(ref: string): ValidateFunction {
    const id = SCHEMA_BASE + path.basename(ref);
    let v = this.validators.get(id);
    if (!v) {
      v = this.ajv.getSchema(id);
      if (!v) throw new Error(`openapi.yaml refers to ${ref}, which is not in schemas/taxii/`);
      this.validators.set(id, v);
    }
    return v;
  }

  /** Every way in which one response departs from the contract (empty when it conforms). */
  violations(r: RecordedResponse): string[] {
    const out: string[] = [];
    const where = `${r.method} ${r.path} → ${r.status}`;
    const match = this.paths.find((p) => p.regex.test(r.path));
    const op: Operation | undefined = match ? this.doc.paths[match.template][r.method === 'HEAD' ? 'get' : r.method.toLowerCase()] : undefined;
    let spec = op?.responses[String(r.status)] ?? op?.responses.default;
    if (!op) {
      // Unknown paths and unsupported methods must still answer with a TAXII error.
      spec = this.doc.components.responses.error;
      // A path that is not valid percent-encoding is refused (400) before any route or method is considered.
      const undecodable = r.status === 400 && !decodable(r.path);
      if (!match && !undecodable && r.status !== 404 && r.status !== 401 && r.status !== 406) out.push(`${where}: an unknown path must be a 404`);
      if (match && !undecodable && r.status !== 405 && r.status !== 401 && r.status !== 406) out.push(`${where}: an unsupported method must be a 405`);
      if (match && r.status === 405 && !r.headers.allow) out.push(`${where}: a 405 needs an Allow header`);
    } else if (!spec) {
      out.push(`${where}: status not described in openapi.yaml`);
      return out;
    }
    if (spec!.$ref) spec = this.doc.components.responses[spec!.$ref.split('/').pop()!];
    if (r.status < 200 || r.status >= 300) {
      if (r.status >= 400 && (!op || spec === this.doc.components.responses.error || op.responses.default === spec)) {
        // fall through to the error schema check below
      }
    }
    const content = spec!.content;
    if (!content) return out;
    const [mediaType, media] = Object.entries(content)[0]!;
    const ct = String(r.headers['content-type'] ?? '');
    if (mediaType.startsWith('application/taxii+json') ? ct !== mediaType : !ct.startsWith(mediaType)) {
      out.push(`${where}: Content-Type "${ct}" is not "${mediaType}"`);
    }
    if (r.method === 'HEAD' || !media.schema?.$ref) return out;
    let body: unknown;
    try {
      body = JSON.parse(r.body);
    } catch {
      out.push(`${where}: body is not JSON: ${r.body.slice(0, 80)}`);
      return out;
    }
    const v = this.schemaFor(media.schema.$ref);
    if (!v(body)) out.push(`${where}: body breaks ${path.basename(media.schema.$ref)}: ${this.ajv.errorsText(v.errors)}`);
    if (r.status === 200 && spec!.headers && body && typeof body === 'object') {
      const items = (body as Record<string, unknown[]>).objects ?? (body as Record<string, unknown[]>).versions;
      if (Array.isArray(items) && items.length > 0) {
        for (const h of ['x-taxii-date-added-first', 'x-taxii-date-added-last']) {
          if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(String(r.headers[h] ?? ''))) out.push(`${where}: ${h} missing or not RFC 3339 with microseconds`);
        }
      }
    }
    return out;
  }
}

/** Express middleware that records every response (status, headers, body) for the contract check. */
export function recorder(sink: RecordedResponse[]): RequestHandler {
  return (req, res, next) => {
    // Read before routing: a router mounted at a path (the exports) shortens req.path while it runs.
    const path = req.path;
    const chunks: Array<string | Uint8Array> = [];
    // Called through the response's prototype at call time: the app sets its own (whose write and end count
    // the bytes for the request log) after this runs.
    const write = (...a: unknown[]) => (Object.getPrototypeOf(res).write as (...a: unknown[]) => boolean).apply(res, a);
    const end = (...a: unknown[]) => (Object.getPrototypeOf(res).end as (...a: unknown[]) => unknown).apply(res, a);
    (res as unknown as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
      if (chunk) chunks.push(chunk as string | Uint8Array);
      return write(chunk, ...rest);
    };
    (res as unknown as { end: unknown }).end = (chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== 'function') chunks.push(chunk as string | Uint8Array);
      // The body is put together when the contract is checked, not while the server is answering.
      let body: string | undefined;
      sink.push({
        method: req.method,
        path,
        status: res.statusCode,
        headers: res.getHeaders() as RecordedResponse['headers'],
        get body() {
          return (body ??= Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c))).toString('utf8'));
        },
      });
      return end(chunk, ...rest);
    };
    next();
  };
}

function decodable(path: string): boolean {
  try {
    for (const segment of path.split('/')) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}
