/**
 * Rules that depend on what the collection already stores or on predefined content: marking definitions
 * (§7.2.1: predefined TLP markings, no versioning, no self-marking) and revocation (§3.6.2).
 */
import { compareTimestamps, isStixTimestamp } from './timestamps';
import { versionKey } from './ids';
import { tlpMarkingOf } from '../domain/tlp';
import { TLP1_CREATED, TLP1_VALUES, tlp1Value, TLP2_EXTENSION_ID, TLP2_VALUES } from './markings';
import { isObject, truncate, type Obj } from './schema-findings';
import type { Finding, ValidationContext } from './validation-result';

export function checkMarkingDefinition(object: Obj, context: ValidationContext, errors: Finding[], warnings: Finding[]): void {
  const id = typeof object.id === 'string' ? object.id : '';
  if (Array.isArray(object.object_marking_refs) && object.object_marking_refs.includes(id)) {
    errors.push({ pointer: '/object_marking_refs', rule: 'marking.circular', message: 'a marking definition cannot mark itself; remove its own id from object_marking_refs' });
  }
  // Predefined ids are compared without regard to case, as the store reads them.
  const predefined = tlpMarkingOf(id);
  const tlp1 = predefined?.edition === 1 ? predefined : undefined;
  const tlp2 = predefined?.edition === 2 ? predefined : undefined;
  const def = object.definition;
  if (tlp1) {
    const value = tlp1Value(tlp1.level);
    const ok = object.definition_type === 'tlp' && isObject(def) && def.tlp === value && object.created === TLP1_CREATED
      && (object.name === undefined || object.name === tlp1.name);
    if (!ok) {
      errors.push({
        pointer: '', rule: 'marking.tlp-mismatch',
        message: `${id} is the predefined ${tlp1.name} marking (STIX 2.1 §7.2.1.4); it must have definition_type "tlp", definition {"tlp": "${value}"}, created ${TLP1_CREATED} and name "${tlp1.name}" exactly`,
      });
    }
  }
  const exts = isObject(object.extensions) ? object.extensions : {};
  if (tlp2) {
    const ext = exts[TLP2_EXTENSION_ID];
    if (!isObject(ext) || ext.tlp_2_0 !== tlp2.level || (object.name !== undefined && object.name !== tlp2.name)) {
      errors.push({
        pointer: '', rule: 'marking.tlp-mismatch',
        message: `${id} is the predefined ${tlp2.name} marking; it must carry the ${TLP2_EXTENSION_ID} extension with tlp_2_0 "${tlp2.level}" and name "${tlp2.name}"`,
      });
    }
  }
  // §7.2.1.4: TLP is marked only with the predefined definitions. One made under another id would not be
  // read as TLP by this server (what it marks would be served at the collection's default level) nor by
  // consumers that know TLP by its ids. A level outside TLP's is already a schema error of its own, and is
  // not reported twice.
  if (!tlp1 && object.definition_type === 'tlp' && isObject(def) && TLP1_VALUES.has(def.tlp)) {
    errors.push({
      pointer: '/definition_type', rule: 'marking.tlp-mismatch',
      message: `${id} is not one of the predefined TLP markings (STIX 2.1 §7.2.1.4); mark with the predefined definition of that level instead of defining TLP anew`,
    });
  }
  // The TLP 2.0 extension is recognised under any case of its id, as marking ids are; the schema checks
  // its level only under the lowercase key, so under another spelling any tlp_2_0 claims TLP.
  for (const [key, ext] of Object.entries(exts)) {
    if (tlp2 || key.toLowerCase() !== TLP2_EXTENSION_ID || !isObject(ext) || !Object.hasOwn(ext, 'tlp_2_0')) continue;
    if (key !== TLP2_EXTENSION_ID || TLP2_VALUES.has(ext.tlp_2_0)) {
      errors.push({
        pointer: `/extensions/${key}`, rule: 'marking.tlp-mismatch',
        message: `${id} is not one of the predefined TLP 2.0 markings; mark with the predefined definition of that level instead of defining TLP anew`,
      });
    }
  }
  if (typeof object.definition_type === 'string' && object.definition_type !== 'tlp' && object.definition_type !== 'statement') {
    warnings.push({ pointer: '/definition_type', rule: 'marking.definition-type', message: `definition_type "${truncate(object.definition_type)}" is neither "statement" nor "tlp"; consumers may not understand it` });
  }
  const stored = context.storedVersions;
  if (stored && stored.length > 0 && typeof object.created === 'string') {
    if (stored.some((s) => s.version !== object.created)) {
      errors.push({
        pointer: '/created', rule: 'marking.created-changed',
        message: `a marking definition with id ${id} is already stored with a different created; marking definitions cannot be versioned, so give the new one a new id`,
      });
    }
  }
}

/** §3.6.2: once revoked, no later version of the object may be un-revoked. */
export function checkRevocation(object: Obj, context: ValidationContext, errors: Finding[]): void {
  if (object.revoked === true) return;
  const key = versionKey(object);
  if (key === undefined || !isStixTimestamp(key)) return;
  // §3.6.2: once revoked, no later version of the object may be un-revoked.
  const revokedEarlier = context.storedVersions!.some((s) => s.revoked && isStixTimestamp(s.version) && compareTimestamps(s.version, key) < 0);
  if (revokedEarlier) {
    errors.push({ pointer: '/revoked', rule: 'revoked.unrevoke', message: 'an earlier version of this object is revoked, so a later version must also have revoked: true; revoked objects cannot be un-revoked' });
  }
}
