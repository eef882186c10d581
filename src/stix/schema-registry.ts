/**
 * Loads the project's STIX 2.1 JSON Schemas (schemas/stix) into one Ajv2020 instance at start-up and
 * hands out the compiled validator for each object type. Nothing is compiled after construction.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import Ajv2020, { type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020';
import { fromRoot } from '../common/paths';
import { isMetaType, isScoType, isSdoType, isSroType, META_TYPES, SCO_EXTENSIONS, SCO_TYPES, SDO_TYPES, SRO_TYPES } from './object-types';
import { isStixTimestamp, isStixTimestampMillis } from './timestamps';

export const SCHEMA_BASE = 'https://dprk-taxii.local/schemas/stix/';

export type ObjectKind = 'sdo' | 'sro' | 'sco' | 'meta';

export interface TypeEntry {
  type: string;
  kind: ObjectKind;
  validate: ValidateFunction;
  /** Every property the schema defines for the type, common properties included. */
  properties: ReadonlySet<string>;
  /** The schema's `required` list for the type, common properties included. */
  required: readonly string[];
}

function isIpv6Cidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return net.isIPv6(s);
  const prefix = s.slice(slash + 1);
  if (!/^(?:12[0-8]|1[01][0-9]|[1-9]?[0-9])$/.test(prefix)) return false;
  return net.isIPv6(s.slice(0, slash));
}

export class SchemaRegistry {
  readonly schemas: ReadonlyMap<string, AnySchemaObject>;
  private readonly entries = new Map<string, TypeEntry>();
  private readonly extensionProps = new Map<string, ReadonlySet<string>>();
  readonly customObject: ValidateFunction;
  readonly customObservable: ValidateFunction;
  readonly customObjectProperties: ReadonlySet<string>;
  readonly customObservableProperties: ReadonlySet<string>;
  readonly bundle: ValidateFunction;
  /** Every top-level property name STIX 2.1 defines on some object type (common properties included). */
  readonly specPropertyNames: ReadonlySet<string>;

  constructor(dir: string = fromRoot('schemas', 'stix')) {
    const ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      strict: true,
      // Our schemas use `required` inside anyOf/oneOf/not to name properties declared by the parent, and
      // `properties` in if/then branches without a type: both are intended.
      strictRequired: false,
      strictTypes: false,
    });
    ajv.addFormat('stix-timestamp', { type: 'string', validate: isStixTimestamp });
    ajv.addFormat('stix-timestamp-millis', { type: 'string', validate: isStixTimestampMillis });
    ajv.addFormat('stix-ipv6-cidr', { type: 'string', validate: isIpv6Cidr });

    const schemas = new Map<string, AnySchemaObject>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const schema = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as AnySchemaObject;
      schemas.set(file, schema);
      ajv.addSchema(schema);
    }
    this.schemas = schemas;
    const compile = (file: string): ValidateFunction => {
      const fn = ajv.getSchema(SCHEMA_BASE + file);
      if (!fn) throw new Error(`STIX schema ${file} is missing from ${dir}`);
      return fn;
    };
    const kinds: Array<[readonly string[], ObjectKind]> = [[SDO_TYPES, 'sdo'], [SRO_TYPES, 'sro'], [SCO_TYPES, 'sco'], [META_TYPES, 'meta']];
    for (const [types, kind] of kinds) {
      for (const type of types) {
        const file = `${type}.json`;
        this.entries.set(type, {
          type, kind, validate: compile(file), properties: this.propertiesOf(file), required: this.requiredOf(file),
        });
      }
    }
    for (const name of Object.keys(SCO_EXTENSIONS)) this.extensionProps.set(name, this.propertiesOf(`${name}.json`));
    this.customObject = compile('common.json');
    this.customObservable = compile('sco-common.json');
    this.customObjectProperties = this.propertiesOf('common.json');
    this.customObservableProperties = this.propertiesOf('sco-common.json');
    this.bundle = compile('bundle.json');
    const names = new Set<string>();
    for (const e of this.entries.values()) for (const p of e.properties) names.add(p);
    this.specPropertyNames = names;
  }

  forType(type: string): TypeEntry | undefined {
    return this.entries.get(type);
  }

  /** Properties of a predefined SCO extension, when `name` belongs to `type`. */
  extensionProperties(type: string, name: string): ReadonlySet<string> | undefined {
    return (SCO_EXTENSIONS as Record<string, string>)[name] === type ? this.extensionProps.get(name) : undefined;
  }

  kindOf(type: string): ObjectKind | undefined {
    if (isSdoType(type)) return 'sdo';
    if (isScoType(type)) return 'sco';
    if (isSroType(type)) return 'sro';
    if (isMetaType(type)) return 'meta';
    return undefined;
  }

  private schema(file: string): AnySchemaObject {
    const s = this.schemas.get(file);
    if (!s) throw new Error(`STIX schema ${file} is missing`);
    return s;
  }

  /** Top-level property names, following the `allOf` $refs to common.json / sco-common.json. */
  propertiesOf(file: string): ReadonlySet<string> {
    const out = new Set<string>();
    const visit = (s: AnySchemaObject): void => {
      if (s.properties) for (const k of Object.keys(s.properties)) out.add(k);
      for (const sub of (s.allOf ?? []) as AnySchemaObject[]) {
        if (typeof sub.$ref === 'string') visit(this.schema(sub.$ref));
      }
    };
    visit(this.schema(file));
    return out;
  }

  requiredOf(file: string): readonly string[] {
    const out = new Set<string>();
    const visit = (s: AnySchemaObject): void => {
      for (const r of (s.required ?? []) as string[]) out.add(r);
      for (const sub of (s.allOf ?? []) as AnySchemaObject[]) {
        if (typeof sub.$ref === 'string') visit(this.schema(sub.$ref));
      }
    };
    visit(this.schema(file));
    return [...out];
  }
}
