// Associations v4 routes: default and labelled associations, batch create/read/archive, listing.
import { Router } from 'express';
import { associate, associationsOf, checkSpecs, defaultType, dissociate, labelOf } from './association-types.ts';
import { findRecord } from './crm-store.ts';
import { batchInputs, batchResponse } from './crm-batch.ts';
import { objectTypeParam, readScope, writeScope } from './crm-objects.ts';
import { badRequest, notFound, standardError } from './errors.ts';
import { OBJECT_TYPES } from './object-types.ts';
import type { ObjectTypeName } from './object-types.ts';
import type { AssociationRow, AssociationSpec, EmulatorState, PortalState } from './state.ts';

function requireRecord(portal: PortalState, type: ObjectTypeName, id: string): string {
  const rec = findRecord(portal, type, id);
  if (!rec) throw notFound(`No ${OBJECT_TYPES[type].singular} with ID ${id} exists.`, { context: { id: [id] } });
  return rec.id;
}

function specWithLabel(from: ObjectTypeName, to: ObjectTypeName, s: AssociationSpec) {
  const out: Record<string, unknown> = { category: s.associationCategory, typeId: s.associationTypeId };
  const label = labelOf(from, to, s);
  if (label) out.label = label;
  return out;
}

function labelsBetween(from: ObjectTypeName, fromId: string, to: ObjectTypeName, toId: string, specs: AssociationSpec[]) {
  return {
    fromObjectTypeId: OBJECT_TYPES[from].typeId,
    fromObjectId: fromId,
    toObjectTypeId: OBJECT_TYPES[to].typeId,
    toObjectId: toId,
    labels: specs.map((s) => labelOf(from, to, s)).filter((l): l is string => !!l),
  };
}

const toEntry = (from: ObjectTypeName, to: ObjectTypeName, row: AssociationRow) => ({
  toObjectId: row.toId,
  associationTypes: row.types.map((s) => specWithLabel(from, to, s)),
});

function liveRows(portal: PortalState, from: ObjectTypeName, id: string, to: ObjectTypeName): AssociationRow[] {
  return associationsOf(portal, from, id, to)
    .filter((row) => findRecord(portal, to, row.toId))
    .sort((a, b) => Number(a.toId) - Number(b.toId));
}

export function associationRoutes(state: EmulatorState): Router {
  const r = Router();

  r.put('/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId', (req, res) => {
    const from = objectTypeParam(req, 'fromObjectType');
    const to = objectTypeParam(req, 'toObjectType');
    const { portal } = writeScope(res, from);
    const started = state.clock.now();
    const fromId = requireRecord(portal, from, String(req.params.fromObjectId));
    const toId = requireRecord(portal, to, String(req.params.toObjectId));
    const def = defaultType(from, to);
    if (!def) throw badRequest(`There is no default association type between ${from} and ${to}.`);
    const spec: AssociationSpec = { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.id };
    associate(portal, from, fromId, to, toId, [spec]);
    const results = [
      { from: { id: fromId }, to: { id: toId }, associationSpec: spec },
      { from: { id: toId }, to: { id: fromId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.inverse } },
    ];
    res.json(batchResponse(started, results, [], state.clock.now()));
  });

  r.put('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', (req, res) => {
    const from = objectTypeParam(req);
    const to = objectTypeParam(req, 'toObjectType');
    const { portal } = writeScope(res, from);
    const specs = checkSpecs(from, to, req.body);
    const fromId = requireRecord(portal, from, String(req.params.objectId));
    const toId = requireRecord(portal, to, String(req.params.toObjectId));
    associate(portal, from, fromId, to, toId, specs);
    res.status(201).json(labelsBetween(from, fromId, to, toId, specs));
  });

  r.delete('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', (req, res) => {
    const from = objectTypeParam(req);
    const to = objectTypeParam(req, 'toObjectType');
    const { portal } = writeScope(res, from);
    dissociate(portal, from, String(req.params.objectId), to, String(req.params.toObjectId));
    res.status(204).end();
  });

  r.get('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', (req, res) => {
    const from = objectTypeParam(req);
    const to = objectTypeParam(req, 'toObjectType');
    const { portal } = readScope(res, from);
    const id = requireRecord(portal, from, String(req.params.objectId));
    const limit = Math.min(Number(req.query.limit ?? 500) || 500, 500);
    const rows = liveRows(portal, from, id, to);
    const start = req.query.after ? Number(req.query.after) : 0;
    const page = rows.slice(start, start + limit);
    const body: Record<string, unknown> = { results: page.map((row) => toEntry(from, to, row)) };
    if (start + limit < rows.length) body.paging = { next: { after: String(start + limit) } };
    res.json(body);
  });

  r.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/create', (req, res) => {
    const from = objectTypeParam(req, 'fromObjectType');
    const to = objectTypeParam(req, 'toObjectType');
    const { portal } = writeScope(res, from);
    const started = state.clock.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of batchInputs(req.body, 2000)) {
      const fromId = String((input.from as { id?: unknown })?.id ?? '');
      const toId = String((input.to as { id?: unknown })?.id ?? '');
      const specs = checkSpecs(from, to, input.types);
      const f = findRecord(portal, from, fromId);
      const t = findRecord(portal, to, toId);
      if (!f || !t) {
        errors.push(standardError('VALIDATION_ERROR', `${!f ? `${OBJECT_TYPES[from].upper} ${fromId}` : `${OBJECT_TYPES[to].upper} ${toId}`} does not exist`, { fromId: [fromId], toId: [toId] }));
        continue;
      }
      associate(portal, from, f.id, to, t.id, specs);
      results.push(labelsBetween(from, f.id, to, t.id, specs));
    }
    res.status(errors.length ? 207 : 201).json(batchResponse(started, results, errors, state.clock.now()));
  });

  r.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default', (req, res) => {
    const from = objectTypeParam(req, 'fromObjectType');
    const to = objectTypeParam(req, 'toObjectType');
    const { portal } = writeScope(res, from);
    const started = state.clock.now();
    const def = defaultType(from, to);
    if (!def) throw badRequest(`There is no default association type between ${from} and ${to}.`);
    const spec: AssociationSpec = { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.id };
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of batchInputs(req.body, 2000)) {
      const fromId = String((input.from as { id?: unknown })?.id ?? '');
      const toId = String((input.to as { id?: unknown })?.id ?? '');
      const f = findRecord(portal, from, fromId);
      const t = findRecord(portal, to, toId);
      if (!f || !t) {
        errors.push(standardError('VALIDATION_ERROR', 'Object does not exist', { fromId: [fromId], toId: [toId] }));
        continue;
      }
      associate(portal, from, f.id, to, t.id, [spec]);
      results.push({ from: { id: f.id }, to: { id: t.id }, associationSpec: spec });
    }
    res.json(batchResponse(started, results, errors, state.clock.now()));
  });

  r.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/read', (req, res) => {
    const from = objectTypeParam(req, 'fromObjectType');
    const to = objectTypeParam(req, 'toObjectType');
    const { portal } = readScope(res, from);
    const started = state.clock.now();
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of batchInputs(req.body, 1000)) {
      const id = String(input.id ?? '');
      const rec = findRecord(portal, from, id);
      const rows = rec ? liveRows(portal, from, rec.id, to) : [];
      if (!rows.length) {
        missing.push(id);
        continue;
      }
      results.push({ from: { id }, to: rows.map((row) => toEntry(from, to, row)) });
    }
    const errors = missing.length
      ? [standardError('OBJECT_NOT_FOUND', `No ${OBJECT_TYPES[to].singular} is associated with ${OBJECT_TYPES[from].singular} ${missing.join(', ')}.`, { fromIds: missing })]
      : [];
    res.status(errors.length ? 207 : 200).json(batchResponse(started, results, errors, state.clock.now()));
  });

  r.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/archive', (req, res) => {
    const from = objectTypeParam(req, 'fromObjectType');
    const to = objectTypeParam(req, 'toObjectType');
    const { portal } = writeScope(res, from);
    for (const input of batchInputs(req.body, 2000)) {
      const fromId = String((input.from as { id?: unknown })?.id ?? '');
      const targets = Array.isArray(input.to) ? (input.to as Array<{ id?: unknown }>) : [];
      for (const t of targets) dissociate(portal, from, fromId, to, String(t?.id ?? ''));
    }
    res.status(204).end();
  });

  r.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/labels/archive', (req, res) => {
    const from = objectTypeParam(req, 'fromObjectType');
    const to = objectTypeParam(req, 'toObjectType');
    const { portal } = writeScope(res, from);
    for (const input of batchInputs(req.body, 2000)) {
      const fromId = String((input.from as { id?: unknown })?.id ?? '');
      const toId = String((input.to as { id?: unknown })?.id ?? '');
      dissociate(portal, from, fromId, to, toId, checkSpecs(from, to, input.types));
    }
    res.status(204).end();
  });

  return r;
}
