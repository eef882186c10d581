import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { REPO_ROOT, WALLET_TYPE, allSeedObjects } from './helpers';

/** The vendored OASIS STIX 2.1 JSON schemas, when present next to the repository. */
const SCHEMA_ROOT = path.resolve(REPO_ROOT, '..', 'shared', 'stix2-json-schemas');
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/';
const present = fs.existsSync(path.join(SCHEMA_ROOT, 'schemas'));

function listJson(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listJson(full);
    return e.name.endsWith('.json') ? [full] : [];
  });
}

/** Loads schemas/** with the README's fixes: $id from the path, and the linear-time rewrite of the type/-ext regexes. */
function loadAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, strictTypes: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('idn-hostname', /^[^\s]+$/u);
  for (const file of listJson(path.join(SCHEMA_ROOT, 'schemas'))) {
    const rel = path.relative(SCHEMA_ROOT, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8').split('^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\\\-').join('^[a-z][a-z0-9]*(-[a-z0-9]+)*-');
    const schema = JSON.parse(text) as Record<string, unknown>;
    schema.$id = BASE + rel;
    ajv.addSchema(schema);
  }
  return ajv;
}

function schemaIdFor(type: string): string {
  if (type === WALLET_TYPE) return `${BASE}schemas/common/cyber-observable-core.json`;
  for (const dir of ['sdos', 'sros', 'observables', 'common']) {
    if (fs.existsSync(path.join(SCHEMA_ROOT, 'schemas', dir, `${type}.json`))) return `${BASE}schemas/${dir}/${type}.json`;
  }
  throw new Error(`no OASIS schema for ${type}`);
}

const describeIfSchemas = present ? describe : describe.skip;

describeIfSchemas('Seed objects against the OASIS STIX 2.1 JSON schemas', () => {
  const ajv = present ? loadAjv() : undefined;
  const cases = allSeedObjects().map(({ alias, object }) => [alias, object.id, object] as const);

  it.each(cases)('When %s object %s is validated against its OASIS schema, Then it has no errors', (_alias, _id, o) => {
    const validate = ajv!.getSchema(schemaIdFor(o.type));
    expect(validate).toBeDefined();
    const ok = validate!(o);
    expect(ok ? [] : validate!.errors).toEqual([]);
  });
});
