// Validation and normalisation of property values written to CRM objects, and unique-value checks.
import { REQUIRED_ON_CREATE } from './builtin-properties.ts';
import type { PropertyDef } from './builtin-properties.ts';
import { badRequest, conflict } from './errors.ts';
import { OBJECT_TYPES } from './object-types.ts';
import type { ObjectTypeName } from './object-types.ts';
import type { CrmRecord, PortalState } from './state.ts';

interface InvalidValue {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
  portalId: number;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Turns whatever JSON value a client sent into the string HubSpot stores (or an error code). */
function normalise(def: PropertyDef, raw: unknown, portal: PortalState): { value: string } | { error: string; message: string } {
  if (raw === null || raw === undefined || raw === '') return { value: '' };
  if (typeof raw === 'object') return { error: 'INVALID_PROPERTY_VALUE', message: `${JSON.stringify(raw)} is not a valid value for ${def.name}` };
  const text = String(raw);
  switch (def.type) {
    case 'bool': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === 'false') return { value: lower };
      return { error: 'INVALID_BOOLEAN', message: `${text} was not a valid boolean.` };
    }
    case 'number': {
      if (text.trim() !== '' && Number.isFinite(Number(text))) return { value: text.trim() };
      return { error: 'INVALID_DOUBLE', message: `${text} was not a valid number.` };
    }
    case 'date': {
      if (DATE_RE.test(text) && !Number.isNaN(Date.parse(text))) return { value: text };
      if (/^\d+$/.test(text)) {
        const ms = Number(text);
        if (ms % 86_400_000 !== 0) return { error: 'INVALID_DATE', message: `${text} is at ${new Date(ms).toISOString()}, which is not midnight UTC.` };
        return { value: new Date(ms).toISOString().slice(0, 10) };
      }
      return { error: 'INVALID_DATE', message: `${text} was not a valid date.` };
    }
    case 'datetime': {
      const ms = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
      if (Number.isNaN(ms)) return { error: 'INVALID_DATETIME', message: `${text} was not a valid long or ISO 8601 datetime.` };
      return { value: new Date(ms).toISOString() };
    }
    case 'enumeration': {
      if (def.referencedObjectType === 'OWNER') {
        if (portal.owners.some((o) => o.id === text && !o.archived)) return { value: text };
        return { error: 'INVALID_OWNER_ID', message: `${text} is not a valid owner id` };
      }
      if (def.externalOptions || def.readOnlyValue) return { value: text };
      const allowed = new Set(def.options.map((o) => o.value));
      const values = def.fieldType === 'checkbox' ? text.split(';') : [text];
      const bad = values.find((v) => !allowed.has(v));
      if (bad !== undefined) {
        const list = def.options.map((o) => o.value).join(', ');
        return { error: 'INVALID_OPTION', message: `${bad} was not one of the allowed options: [${list}]` };
      }
      return { value: text };
    }
    default:
      if (def.name === 'email' && !EMAIL_RE.test(text.trim())) return { error: 'INVALID_EMAIL', message: `Email address ${text} is invalid` };
      return { value: def.name === 'email' ? text.trim().toLowerCase() : text };
  }
}

function invalid(portal: PortalState, name: string, error: string, message: string): InvalidValue {
  return { isValid: false, message, error, name, localizedErrorMessage: message, portalId: portal.portalId };
}

function throwInvalid(problems: InvalidValue[]): never {
  throw badRequest(`Property values were not valid: ${JSON.stringify(problems)}`, {
    errors: problems.map((p) => ({ message: p.message, code: p.error, context: { propertyName: [p.name] } })),
  });
}

/**
 * Validates a property map from a create/update request. Returns the normalised values ("" means clear).
 * Throws HubSpot's 400 "Property values were not valid" listing every bad property.
 */
export function validateProperties(
  portal: PortalState,
  type: ObjectTypeName,
  input: unknown,
  mode: 'create' | 'update',
): Record<string, string> {
  if (input === undefined && mode === 'create') input = {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw badRequest('Invalid input JSON: "properties" must be an object');
  const defs = portal.propertyDefs[type];
  const problems: InvalidValue[] = [];
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const def = defs.get(name);
    if (!def || def.archived) {
      problems.push(invalid(portal, name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
      continue;
    }
    if (def.readOnlyValue) {
      problems.push(invalid(portal, name, 'READ_ONLY_VALUE', `${name} is a read only property; its value cannot be set.`));
      continue;
    }
    const result = normalise(def, raw, portal);
    if ('error' in result) problems.push(invalid(portal, name, result.error, result.message));
    else out[name] = result.value;
  }
  if (mode === 'create') {
    for (const name of REQUIRED_ON_CREATE[type] ?? []) {
      if (!out[name]) problems.push(invalid(portal, name, 'REQUIRED_PROPERTY', `${name} is required when creating a ${OBJECT_TYPES[type].singular}`));
    }
  }
  if (problems.length) throwInvalid(problems);
  return out;
}

const sameValue = (prop: string, a: string | undefined, b: string) => a !== undefined && (prop === 'email' ? a.toLowerCase() === b.toLowerCase() : a === b);

/** The live record (other than `exceptId`) that holds `value` for a unique property, if any. */
export function findByUniqueValue(portal: PortalState, type: ObjectTypeName, prop: string, value: string, exceptId?: string): CrmRecord | undefined {
  for (const rec of portal.objects[type].values()) {
    if (rec.archived || rec.id === exceptId) continue;
    if (sameValue(prop, rec.properties[prop], value)) return rec;
    if (prop === 'email' && type === 'contacts' && rec.properties.hs_additional_emails) {
      if (rec.properties.hs_additional_emails.split(';').some((e) => sameValue(prop, e, value))) return rec;
    }
  }
  return undefined;
}

/**
 * Rejects values that collide with another record's unique-value property (HubSpot: 409 CONFLICT,
 * "Contact already exists. Existing ID: n" for contact emails). `pending` holds values claimed by
 * earlier inputs of the same batch.
 */
export function assertUnique(
  portal: PortalState,
  type: ObjectTypeName,
  values: Record<string, string>,
  exceptId?: string,
  pending?: Map<string, string>,
): void {
  for (const [name, value] of Object.entries(values)) {
    if (!value) continue;
    const def = portal.propertyDefs[type].get(name);
    if (!def?.hasUniqueValue) continue;
    const key = `${name}\u0000${name === 'email' ? value.toLowerCase() : value}`;
    const existing = findByUniqueValue(portal, type, name, value, exceptId);
    const pendingId = pending?.get(key);
    const holder = existing?.id ?? (pendingId !== undefined && pendingId !== exceptId ? pendingId : undefined);
    if (holder !== undefined) {
      if (type === 'contacts' && name === 'email') throw conflict(`Contact already exists. Existing ID: ${holder}`);
      const singular = OBJECT_TYPES[type].singular;
      throw conflict(`A ${singular} with the unique value "${value}" for property "${name}" already exists. Existing ID: ${holder}`, {
        context: { propertyName: [name], existingId: [holder] },
      });
    }
    pending?.set(key, exceptId ?? 'new');
  }
}
