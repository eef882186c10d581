/**
 * Rules that depend on what the collection already stores or on predefined content: marking definitions
 * (§7.2.1: predefined TLP markings, no versioning, no self-marking) and revocation (§3.6.2).
 */
import { compareTimestamps, isStixTimestamp } from './timestamps';
import { versionKey } from './ids';
import { TLP1_CREATED, TLP1_MARKINGS, TLP2_EXTENSION_ID, TLP2_MARKINGS } from './markings';
import { isObject, truncate, type Obj } from './schema-findings';
import type { Finding, ValidationContext } from './validation-result';

export function checkMarkingDefinition(object: Obj, context: ValidationContext, errors: Finding[], warnings: Finding[]): void {
  const id = typeof object.id === 'string' ? object.id : '';
  if (Array.isArray(object.object_marking_refs) && object.object_marking_refs.includes(id)) {
    errors.push({ pointer: '/object_marking_refs', rule: 'marking.circular', message: 'a marking definition cannot mark itself; remove its own id from object_marking_refs' });
  }
  const tlp1 = TLP1_MARKINGS[id];
  if (tlp1) {
    const def = object.definition;
    const ok = object.definition_type === 'tlp' && isObject(def) && def.tlp === tlp1.tlp && object.created === TLP1_CREATED
      && (object.name === undefined || object.name === tlp1.name);
    if (!ok) {
      errors.push({
        pointer: '', rule: 'marking.tlp-mismatch',
        message: `${id} is the predefined ${tlp1.name} marking (STIX 2.1 §7.2.1.4); it must have definition_type "tlp", definition {"tlp": "${tlp1.tlp}"}, created ${TLP1_CREATED} and name "${tlp1.name}" exactly`,
      });
    }
  }
  const tlp2 = TLP2_MARKINGS[id];
  if (tlp2) {
    const ext = isObject(object.extensions) ? object.extensions[TLP2_EXTENSION_ID] : undefined;
    if (!isObject(ext) || ext.tlp_2_0 !== tlp2.tlp_2_0 || (object.name !== undefined && object.name !== tlp2.name)) {
      errors.push({
        pointer: '', rule: 'marking.tlp-mismatch',
        message: `${id} is the predefined ${tlp2.name} marking; it must carry the ${TLP2_EXTENSION_ID} extension with tlp_2_0 "${tlp2.tlp_2_0}" and name "${tlp2.name}"`,
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
