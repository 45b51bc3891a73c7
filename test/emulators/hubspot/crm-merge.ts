// Merges as HubSpot does them now (developer changelog "Updated merge functionality for contacts and
// companies"): the result is a NEW record with a new id; both originals are archived and their ids keep
// answering with the new record; hs_merged_object_ids on it lists every id it absorbed.
import { Router } from 'express';
import { moveAssociations } from './association-types.ts';
import { archiveRecord, createRecord, serialize } from './crm-store.ts';
import { objectTypeParam, requireBodyObject, writeScope } from './crm-objects.ts';
import { badRequest, notFound } from './errors.ts';
import { OBJECT_TYPES } from './object-types.ts';
import type { ObjectTypeName } from './object-types.ts';
import type { CrmRecord, EmulatorState, PortalState } from './state.ts';

const idList = (value: string | undefined) => (value ?? '').split(';').filter(Boolean);

function mergedValues(type: ObjectTypeName, primary: CrmRecord, secondary: CrmRecord): Record<string, string> {
  const info = OBJECT_TYPES[type];
  const own = new Set(['hs_object_id', info.modifiedProp, 'hs_merged_object_ids', 'hs_additional_emails']);
  const values: Record<string, string> = {};
  // The primary's current values win; the secondary only fills what the primary lacks.
  for (const rec of [secondary, primary]) {
    for (const [k, v] of Object.entries(rec.properties)) if (!own.has(k)) values[k] = v;
  }
  values.hs_merged_object_ids = [...new Set([primary.id, ...idList(primary.properties.hs_merged_object_ids), secondary.id, ...idList(secondary.properties.hs_merged_object_ids)])].join(';');
  if (type === 'contacts') {
    const emails = [primary, secondary].flatMap((r) => [r.properties.email, ...idList(r.properties.hs_additional_emails)]);
    const extra = new Set(emails.filter((e): e is string => !!e && e !== values.email));
    if (extra.size) values.hs_additional_emails = [...extra].join(';');
  }
  return values;
}

/** Merges `secondary` into `primary`: answers the new record that replaces both. */
export function mergeRecords(state: EmulatorState, portal: PortalState, type: ObjectTypeName, primary: CrmRecord, secondary: CrmRecord): CrmRecord {
  if (primary.archived) throw notFound(`Object not found: ${primary.id}`, { context: { id: [primary.id] } });
  if (secondary.archived) throw notFound(`Object not found: ${secondary.id}`, { context: { id: [secondary.id] } });
  if (primary.id === secondary.id) throw badRequest('Cannot merge an object with itself');
  const result = createRecord(state, portal, type, mergedValues(type, primary, secondary));
  for (const original of [primary, secondary]) {
    moveAssociations(portal, type, original.id, result.id);
    archiveRecord(state, portal, type, original);
    original.mergedInto = result.id;
  }
  return result;
}

export function crmMergeRoutes(state: EmulatorState): Router {
  const r = Router();
  r.post('/crm/v3/objects/:objectType/merge', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = writeScope(res, type);
    const body = requireBodyObject(req.body);
    const primaryId = String(body.primaryObjectId ?? '');
    const secondaryId = String(body.objectIdToMerge ?? '');
    if (!primaryId || !secondaryId) throw badRequest('primaryObjectId and objectIdToMerge are required');
    const primary = portal.objects[type].get(primaryId);
    const secondary = portal.objects[type].get(secondaryId);
    if (!primary) throw notFound(`Object not found: ${primaryId}`, { context: { id: [primaryId] } });
    if (!secondary) throw notFound(`Object not found: ${secondaryId}`, { context: { id: [secondaryId] } });
    res.json(serialize(type, mergeRecords(state, portal, type, primary, secondary)));
  });
  return r;
}
