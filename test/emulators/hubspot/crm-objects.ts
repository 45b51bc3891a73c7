// CRM object routes: list, create (with associations), read, update and archive single records, and the
// GDPR delete of a contact.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { associate, associationsOf, checkSpecs, hubspotDefinedTypes, v3TypeName } from './association-types.ts';
import { requireScope } from './auth.ts';
import { archiveRecord, createRecord, findRecord, propertyList, purgeRecord, serialize, updateRecord } from './crm-store.ts';
import { badRequest, notFound } from './errors.ts';
import { ALL_OBJECT_TYPES, OBJECT_TYPES, resolveObjectType } from './object-types.ts';
import type { ObjectTypeName } from './object-types.ts';
import { assertUnique, validateProperties } from './property-values.ts';
import type { AssociationSpec, EmulatorState, PortalState } from './state.ts';

export function objectTypeParam(req: Request, name = 'objectType'): ObjectTypeName {
  const raw = String(req.params[name] ?? '');
  const type = resolveObjectType(raw);
  if (!type) throw badRequest(`Unable to infer object type from: ${raw}`);
  return type;
}

export function readScope(res: Response, type: ObjectTypeName) {
  return requireScope(res, OBJECT_TYPES[type].readScope, OBJECT_TYPES[type].writeScope);
}

export function writeScope(res: Response, type: ObjectTypeName) {
  return requireScope(res, OBJECT_TYPES[type].writeScope);
}

export function requireBodyObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Invalid input JSON on line 1, column 1: request body must be a JSON object');
  return body as Record<string, unknown>;
}

export interface PlannedAssociation {
  toType: ObjectTypeName;
  toId: string;
  specs: AssociationSpec[];
}

/** Validates the `associations` of a create request; the target type is inferred from the type ids. */
export function planAssociations(portal: PortalState, type: ObjectTypeName, raw: unknown): PlannedAssociation[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest('"associations" must be an array');
  return raw.map((item) => {
    const a = item as { to?: { id?: unknown }; types?: unknown };
    const toId = a?.to?.id === undefined ? '' : String(a.to.id);
    if (!toId) throw badRequest('Each association needs "to": { "id" }');
    const first = (Array.isArray(a.types) ? a.types[0] : undefined) as Partial<AssociationSpec> | undefined;
    let toType: ObjectTypeName | undefined;
    if (first?.associationCategory === 'HUBSPOT_DEFINED') {
      toType = ALL_OBJECT_TYPES.find((t) => hubspotDefinedTypes(type, t).some((d) => d.id === first.associationTypeId));
      if (!toType) throw badRequest(`${first.associationTypeId} is not a valid association type id for ${OBJECT_TYPES[type].singular}`);
    } else {
      toType = ALL_OBJECT_TYPES.find((t) => findRecord(portal, t, toId));
    }
    const specs = checkSpecs(type, toType ?? type, a.types);
    if (!toType || !findRecord(portal, toType, toId)) {
      throw badRequest(`One or more associations are invalid: no ${OBJECT_TYPES[toType ?? type].singular} with ID ${toId} exists.`, {
        subCategory: 'crm-object-associations.INVALID_ASSOCIATION_TARGET',
        context: { toObjectId: [toId] },
      });
    }
    return { toType, toId, specs };
  });
}

export function applyAssociations(portal: PortalState, type: ObjectTypeName, id: string, planned: PlannedAssociation[]): void {
  for (const p of planned) associate(portal, type, id, p.toType, p.toId, p.specs);
}

function withAssociations(portal: PortalState, type: ObjectTypeName, id: string, body: Record<string, unknown>, toTypesRaw: unknown) {
  const toTypes = (propertyList(toTypesRaw) ?? []).map(resolveObjectType).filter((t): t is ObjectTypeName => !!t);
  if (!toTypes.length) return body;
  const associations: Record<string, { results: Array<{ id: string; type: string }> }> = {};
  for (const toType of toTypes) {
    const results = associationsOf(portal, type, id, toType)
      .filter((row) => findRecord(portal, toType, row.toId))
      .flatMap((row) => row.types.map((spec) => ({ id: row.toId, type: v3TypeName(type, toType, spec) })));
    if (results.length) associations[toType] = { results };
  }
  return Object.keys(associations).length ? { ...body, associations } : body;
}

const truthy = (v: unknown) => String(v) === 'true';

export function crmObjectRoutes(state: EmulatorState): Router {
  const r = Router();

  r.get('/crm/v3/objects/:objectType', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = readScope(res, type);
    const limit = Math.min(Number(req.query.limit ?? 10) || 10, 100);
    const archived = truthy(req.query.archived);
    const all = [...portal.objects[type].values()].filter((rec) => rec.archived === archived && !rec.mergedInto);
    all.sort((a, b) => Number(a.id) - Number(b.id));
    const after = req.query.after ? String(req.query.after) : undefined;
    const start = after ? all.findIndex((rec) => Number(rec.id) > Number(after)) : 0;
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const props = propertyList(req.query.properties);
    const results = page.map((rec) => withAssociations(portal, type, rec.id, serialize(type, rec, { properties: props }), req.query.associations));
    const body: Record<string, unknown> = { results };
    if (start >= 0 && start + limit < all.length) {
      const next = page[page.length - 1].id;
      body.paging = { next: { after: next, link: `${req.path}?after=${next}` } };
    }
    res.json(body);
  });

  r.post('/crm/v3/objects/:objectType', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = writeScope(res, type);
    const body = requireBodyObject(req.body);
    const values = validateProperties(portal, type, body.properties, 'create');
    const planned = planAssociations(portal, type, body.associations);
    const id = state.newObjectId();
    assertUnique(portal, type, values, id);
    const rec = createRecord(state, portal, type, values, id);
    applyAssociations(portal, type, rec.id, planned);
    res.status(201).json(serialize(type, rec, { allSet: true }));
  });

  r.get('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = readScope(res, type);
    const id = String(req.params.objectId);
    const rec = findRecord(portal, type, id, req.query.idProperty ? String(req.query.idProperty) : undefined, truthy(req.query.archived));
    if (!rec) throw notFound('Object not found.  objectId are usually numeric.', { context: { id: [id] } });
    const body = serialize(type, rec, { properties: propertyList(req.query.properties) });
    res.json(withAssociations(portal, type, rec.id, body, req.query.associations));
  });

  r.patch('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = writeScope(res, type);
    const body = requireBodyObject(req.body);
    const id = String(req.params.objectId);
    const values = validateProperties(portal, type, body.properties, 'update');
    const rec = findRecord(portal, type, id, req.query.idProperty ? String(req.query.idProperty) : undefined);
    if (!rec) throw notFound(`resource not found`, { context: { id: [id] } });
    assertUnique(portal, type, values, rec.id);
    updateRecord(state, type, rec, values);
    res.json(serialize(type, rec, { allSet: true }));
  });

  r.post('/crm/v3/objects/contacts/gdpr-delete', (req, res) => {
    const { portal } = writeScope(res, 'contacts');
    const body = requireBodyObject(req.body);
    const objectId = typeof body.objectId === 'string' || typeof body.objectId === 'number' ? String(body.objectId) : '';
    if (!objectId) throw badRequest('Invalid input JSON: "objectId" is required', { context: { objectId: ['required'] } });
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
    const rec = findRecord(portal, 'contacts', objectId, idProperty);
    if (rec) purgeRecord(portal, 'contacts', rec);
    // An unknown email is accepted (HubSpot then blocklists it, which the emulator does not model); an unknown id is not.
    else if (idProperty !== 'email') throw notFound('Object not found.  objectId are usually numeric.', { context: { id: [objectId] } });
    res.status(204).end();
  });

  r.delete('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = writeScope(res, type);
    const rec = portal.objects[type].get(String(req.params.objectId));
    if (rec && !rec.archived) archiveRecord(state, portal, type, rec);
    res.status(204).end();
  });

  return r;
}
