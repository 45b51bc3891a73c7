// Operations on stored CRM records shared by the object, batch, search and merge routes and the seeding API.
import { OBJECT_TYPES } from './object-types.ts';
import type { ObjectTypeName } from './object-types.ts';
import { assertUnique, findByUniqueValue, validateProperties } from './property-values.ts';
import { badRequest } from './errors.ts';
import type { CrmRecord, EmulatorState, PortalState } from './state.ts';

export const iso = (ms: number) => new Date(ms).toISOString();

/** Applies already validated values: "" clears a property. */
function applyValues(rec: CrmRecord, values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === '') delete rec.properties[k];
    else rec.properties[k] = v;
  }
}

export function createRecord(state: EmulatorState, portal: PortalState, type: ObjectTypeName, values: Record<string, string>, id = state.newObjectId()): CrmRecord {
  const info = OBJECT_TYPES[type];
  const now = state.clock.now();
  const createdAt = values[info.createdProp] ? Date.parse(values[info.createdProp]) : now;
  const rec: CrmRecord = { id, properties: {}, createdAt: now, updatedAt: now, archived: false };
  applyValues(rec, values);
  rec.properties.hs_object_id = id;
  rec.properties[info.createdProp] = iso(createdAt);
  rec.properties[info.modifiedProp] = iso(now);
  portal.objects[type].set(id, rec);
  return rec;
}

export function updateRecord(state: EmulatorState, type: ObjectTypeName, rec: CrmRecord, values: Record<string, string>): CrmRecord {
  const now = state.clock.now();
  applyValues(rec, values);
  rec.updatedAt = now;
  rec.properties[OBJECT_TYPES[type].modifiedProp] = iso(now);
  return rec;
}

/** Validates and creates in one go (the seeding API and single create use this). */
export function createValidated(state: EmulatorState, portal: PortalState, type: ObjectTypeName, input: unknown): CrmRecord {
  const values = validateProperties(portal, type, input, 'create');
  const id = state.newObjectId();
  assertUnique(portal, type, values, id);
  return createRecord(state, portal, type, values, id);
}

export function archiveRecord(state: EmulatorState, portal: PortalState, type: ObjectTypeName, rec: CrmRecord): void {
  rec.archived = true;
  rec.archivedAt = state.clock.now();
  portal.associations = portal.associations.filter(
    (a) => !((a.fromType === type && a.fromId === rec.id) || (a.toType === type && a.toId === rec.id)),
  );
}

/** GDPR delete: the record, and the records merged into it, are gone for good (404 even with archived=true). */
export function purgeRecord(portal: PortalState, type: ObjectTypeName, rec: CrmRecord): void {
  for (const absorbed of [...portal.objects[type].values()].filter((r) => r.mergedInto === rec.id)) purgeRecord(portal, type, absorbed);
  portal.objects[type].delete(rec.id);
  portal.associations = portal.associations.filter((a) => !((a.fromType === type && a.fromId === rec.id) || (a.toType === type && a.toId === rec.id)));
}

/**
 * Finds a live record by id (following merges, as HubSpot answers a merged-away id with the
 * surviving record) or by a unique-value property when `idProperty` is given.
 */
export function findRecord(portal: PortalState, type: ObjectTypeName, id: string, idProperty?: string, archived = false): CrmRecord | undefined {
  if (idProperty && idProperty !== 'hs_object_id') {
    const def = portal.propertyDefs[type].get(idProperty);
    if (!def) throw badRequest(`Property "${idProperty}" does not exist`, { context: { idProperty: [idProperty] } });
    if (!def.hasUniqueValue) throw badRequest(`${idProperty} is not a unique value property. The idProperty must be a property with unique values.`);
    return findByUniqueValue(portal, type, idProperty, id);
  }
  let rec = portal.objects[type].get(id);
  for (let hops = 0; rec?.mergedInto && hops < 10; hops++) rec = portal.objects[type].get(rec.mergedInto);
  if (!rec) return undefined;
  if (archived) return rec.archived ? rec : undefined;
  return rec.archived ? undefined : rec;
}

/** Parses `properties=a,b` / repeated query parameters / JSON arrays into a list. */
export function propertyList(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(','));
  const list = parts.map((p) => p.trim()).filter(Boolean);
  return list.length ? list : undefined;
}

export interface SerializeOptions {
  properties?: string[];
  /** Return every property that has a value (create/update responses). */
  allSet?: boolean;
}

export function serialize(type: ObjectTypeName, rec: CrmRecord, opts: SerializeOptions = {}) {
  const info = OBJECT_TYPES[type];
  const wanted = opts.allSet ? Object.keys(rec.properties) : (opts.properties ?? info.defaults);
  const props: Record<string, string> = {};
  for (const name of new Set([...wanted, 'hs_object_id', info.createdProp, info.modifiedProp])) {
    const v = rec.properties[name];
    if (v !== undefined) props[name] = v;
  }
  const out: Record<string, unknown> = {
    id: rec.id,
    properties: props,
    createdAt: iso(rec.createdAt),
    updatedAt: iso(rec.updatedAt),
    archived: rec.archived,
  };
  if (rec.archived && rec.archivedAt !== undefined) out.archivedAt = iso(rec.archivedAt);
  return out;
}
