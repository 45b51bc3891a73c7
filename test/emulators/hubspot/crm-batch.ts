// CRM batch routes: read, create, update, upsert, archive.
import { Router } from 'express';
import { archiveRecord, createRecord, findRecord, iso, propertyList, serialize, updateRecord } from './crm-store.ts';
import { applyAssociations, objectTypeParam, planAssociations, readScope, requireBodyObject, writeScope } from './crm-objects.ts';
import { badRequest, standardError } from './errors.ts';
import { OBJECT_TYPES } from './object-types.ts';
import type { ObjectTypeName } from './object-types.ts';
import { assertUnique, validateProperties } from './property-values.ts';
import type { CrmRecord, EmulatorState } from './state.ts';

export const BATCH_LIMIT = 100;

/** The `inputs` array of a batch request, rejecting missing, non-array and over-limit inputs. */
export function batchInputs(body: unknown, limit = BATCH_LIMIT): Array<Record<string, unknown>> {
  const inputs = requireBodyObject(body).inputs;
  if (!Array.isArray(inputs)) throw badRequest('Invalid input JSON: "inputs" is required and must be an array');
  if (inputs.length > limit) {
    throw badRequest(`Too many inputs: batch requests accept at most ${limit} inputs, received ${inputs.length}.`, {
      context: { limit: [String(limit)], received: [String(inputs.length)] },
    });
  }
  inputs.forEach((i, n) => {
    if (!i || typeof i !== 'object' || Array.isArray(i)) throw badRequest(`inputs[${n}] must be an object`);
  });
  return inputs as Array<Record<string, unknown>>;
}

export function batchResponse(startedAt: number, results: unknown[], errors: unknown[], now: number) {
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: iso(startedAt), completedAt: iso(now) };
  if (errors.length) {
    body.errors = errors;
    body.numErrors = errors.length;
  }
  return body;
}

function assertNoDuplicateIds(ids: string[]): void {
  const seen = new Set<string>();
  const dupes = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  if (dupes.length) throw badRequest(`Duplicate IDs found in batch input: [${[...new Set(dupes)].join(', ')}]. IDs must be unique`);
}

function missingError(type: ObjectTypeName, verb: string, ids: string[]) {
  return standardError('OBJECT_NOT_FOUND', `Could not ${verb} some ${OBJECT_TYPES[type].upper} objects, they may be deleted or not exist. Check that ids are valid.`, { ids });
}

export function crmBatchRoutes(state: EmulatorState): Router {
  const r = Router();

  r.post('/crm/v3/objects/:objectType/batch/read', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = readScope(res, type);
    const started = state.clock.now();
    const inputs = batchInputs(req.body);
    const body = req.body as Record<string, unknown>;
    const idProperty = body.idProperty ? String(body.idProperty) : undefined;
    const archived = String(req.query.archived) === 'true';
    const props = propertyList(body.properties);
    const results = new Map<string, unknown>();
    const missing: string[] = [];
    for (const input of inputs) {
      const id = String(input.id ?? '');
      const rec = id ? findRecord(portal, type, id, idProperty, archived) : undefined;
      if (rec) results.set(rec.id, serialize(type, rec, { properties: props }));
      else missing.push(id);
    }
    const errors = missing.length ? [missingError(type, 'get', missing)] : [];
    res.status(errors.length ? 207 : 200).json(batchResponse(started, [...results.values()], errors, state.clock.now()));
  });

  r.post('/crm/v3/objects/:objectType/batch/create', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = writeScope(res, type);
    const started = state.clock.now();
    const inputs = batchInputs(req.body);
    const pending = new Map<string, string>();
    const planned = inputs.map((input) => {
      const values = validateProperties(portal, type, input.properties, 'create');
      const id = state.newObjectId();
      assertUnique(portal, type, values, id, pending);
      return { id, values, assoc: planAssociations(portal, type, input.associations) };
    });
    const results = planned.map(({ id, values, assoc }) => {
      const rec = createRecord(state, portal, type, values, id);
      applyAssociations(portal, type, rec.id, assoc);
      return serialize(type, rec, { allSet: true });
    });
    res.status(201).json(batchResponse(started, results, [], state.clock.now()));
  });

  r.post('/crm/v3/objects/:objectType/batch/update', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = writeScope(res, type);
    const started = state.clock.now();
    const inputs = batchInputs(req.body);
    assertNoDuplicateIds(inputs.map((i) => String(i.id ?? '')));
    const pending = new Map<string, string>();
    const missing: string[] = [];
    const planned: Array<{ rec: CrmRecord; values: Record<string, string> }> = [];
    for (const input of inputs) {
      const values = validateProperties(portal, type, input.properties, 'update');
      const id = String(input.id ?? '');
      const rec = findRecord(portal, type, id, input.idProperty ? String(input.idProperty) : undefined);
      if (!rec) {
        missing.push(id);
        continue;
      }
      assertUnique(portal, type, values, rec.id, pending);
      planned.push({ rec, values });
    }
    const results = planned.map(({ rec, values }) => serialize(type, updateRecord(state, type, rec, values), { allSet: true }));
    const errors = missing.length ? [missingError(type, 'update', missing)] : [];
    res.status(errors.length ? 207 : 200).json(batchResponse(started, results, errors, state.clock.now()));
  });

  r.post('/crm/v3/objects/:objectType/batch/upsert', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = writeScope(res, type);
    const started = state.clock.now();
    const inputs = batchInputs(req.body);
    const pending = new Map<string, string>();
    const keys = inputs.map((i) => `${i.idProperty}\u0000${String(i.id ?? '').toLowerCase()}`);
    assertNoDuplicateIds(keys.map((k) => k.split('\u0000')[1]));
    const planned = inputs.map((input) => {
      const idProperty = input.idProperty ? String(input.idProperty) : '';
      const id = String(input.id ?? '');
      if (!idProperty) throw badRequest('idProperty is required for upsert and must be a unique-value property');
      if (!id) throw badRequest('id is required for every upsert input');
      const def = portal.propertyDefs[type].get(idProperty);
      if (!def) throw badRequest(`Property "${idProperty}" does not exist`);
      if (!def.hasUniqueValue || idProperty === 'hs_object_id') {
        throw badRequest(`${idProperty} is not a unique value property. Upserts must use a property with unique values as idProperty.`);
      }
      const values = validateProperties(portal, type, { ...(input.properties as object), [idProperty]: id }, 'update');
      const existing = findRecord(portal, type, id, idProperty);
      if (existing) {
        delete values[idProperty];
        assertUnique(portal, type, values, existing.id, pending);
        return { existing, values };
      }
      const fresh = validateProperties(portal, type, values, 'create');
      const newId = state.newObjectId();
      assertUnique(portal, type, fresh, newId, pending);
      return { newId, values: fresh };
    });
    const results = planned.map((p) => {
      if (p.existing) return { ...serialize(type, updateRecord(state, type, p.existing, p.values), { allSet: true }), new: false };
      return { ...serialize(type, createRecord(state, portal, type, p.values, p.newId), { allSet: true }), new: true };
    });
    res.status(200).json(batchResponse(started, results, [], state.clock.now()));
  });

  r.post('/crm/v3/objects/:objectType/batch/archive', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = writeScope(res, type);
    for (const input of batchInputs(req.body)) {
      const rec = portal.objects[type].get(String(input.id ?? ''));
      if (rec && !rec.archived) archiveRecord(state, portal, type, rec);
    }
    res.status(204).end();
  });

  return r;
}
