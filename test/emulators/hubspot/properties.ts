// Properties API: property groups and property definitions, including the unique-value property cap.
import { Router } from 'express';
import type { Response } from 'express';
import type { GroupDef, PropertyDef, PropertyOption, PropertyType } from './builtin-properties.ts';
import { requireScope } from './auth.ts';
import { iso } from './crm-store.ts';
import { batchInputs, batchResponse } from './crm-batch.ts';
import { objectTypeParam, requireBodyObject } from './crm-objects.ts';
import { badRequest, hsError, notFound, standardError } from './errors.ts';
import { OBJECT_TYPES } from './object-types.ts';
import type { ObjectTypeName } from './object-types.ts';
import type { EmulatorState, PortalState } from './state.ts';

export const MAX_UNIQUE_PROPERTIES = 10;

const FIELD_TYPES: Record<PropertyType, string[]> = {
  string: ['text', 'textarea', 'html', 'phonenumber', 'file'],
  phone_number: ['phonenumber', 'text'],
  number: ['number', 'calculation_equation'],
  bool: ['booleancheckbox', 'radio', 'select'],
  date: ['date'],
  datetime: ['date'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
};

export function serializeProperty(p: PropertyDef) {
  const out: Record<string, unknown> = {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options: p.options,
    displayOrder: p.displayOrder,
    calculated: p.calculated,
    externalOptions: p.externalOptions,
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    formField: p.formField,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    archived: p.archived,
    modificationMetadata: { archivable: !p.hubspotDefined, readOnlyDefinition: p.hubspotDefined, readOnlyOptions: false, readOnlyValue: p.readOnlyValue },
    dataSensitivity: 'non_sensitive',
  };
  if (p.referencedObjectType) out.referencedObjectType = p.referencedObjectType;
  return out;
}

const serializeGroup = (g: GroupDef) => ({ name: g.name, label: g.label, displayOrder: g.displayOrder, archived: g.archived });

function parseOptions(raw: unknown): PropertyOption[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw badRequest('options must be an array');
  const seen = new Set<string>();
  return raw.map((o, i) => {
    const opt = o as Partial<PropertyOption>;
    if (!opt || typeof opt.label !== 'string' || typeof opt.value !== 'string') throw badRequest(`options[${i}] needs a string label and value`);
    if (seen.has(opt.value)) throw badRequest(`Duplicate option value "${opt.value}"`);
    seen.add(opt.value);
    const out: PropertyOption = { label: opt.label, value: opt.value, hidden: opt.hidden === true, displayOrder: opt.displayOrder ?? i };
    if (opt.description !== undefined) out.description = String(opt.description);
    return out;
  });
}

function checkTypes(type: unknown, fieldType: unknown): void {
  if (!(typeof type === 'string' && type in FIELD_TYPES)) throw badRequest(`Invalid property type: ${String(type)}`);
  if (!FIELD_TYPES[type as PropertyType].includes(String(fieldType))) {
    throw badRequest(`Invalid fieldType "${String(fieldType)}" for a property of type ${type}`, { subCategory: 'PropertyValidationError.INVALID_FIELD_TYPE' });
  }
}

/** Validates a PropertyCreate body against the portal's current definitions and returns the new definition. */
function buildProperty(state: EmulatorState, portal: PortalState, type: ObjectTypeName, input: Record<string, unknown>): PropertyDef {
  for (const field of ['name', 'label', 'type', 'fieldType', 'groupName']) {
    if (typeof input[field] !== 'string' || !input[field]) throw badRequest(`Property definition is missing required field "${field}"`);
  }
  const name = String(input.name);
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw badRequest(`Property name "${name}" is invalid: use lower-case letters, digits and underscores, starting with a letter.`);
  if (portal.propertyDefs[type].has(name)) {
    throw hsError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`, { subCategory: 'PropertyValidationError.PROPERTY_EXISTS', context: { name: [name] } });
  }
  checkTypes(input.type, input.fieldType);
  if (!portal.groupDefs[type].get(String(input.groupName))) throw badRequest(`Property group '${String(input.groupName)}' does not exist.`);
  const options = parseOptions(input.options);
  if (input.type === 'enumeration' && options.length === 0 && input.externalOptions !== true) throw badRequest('Enumeration properties need at least one option.');
  const unique = input.hasUniqueValue === true;
  if (unique) {
    const count = [...portal.propertyDefs[type].values()].filter((p) => p.hasUniqueValue && !p.hubspotDefined && !p.archived).length;
    if (count >= MAX_UNIQUE_PROPERTIES) {
      throw badRequest(`You have reached the limit of ${MAX_UNIQUE_PROPERTIES} unique value properties for ${type}.`, { subCategory: 'PropertyValidationError.MAX_UNIQUE_PROPERTIES' });
    }
  }
  const now = state.clock.now();
  return {
    name,
    label: String(input.label),
    type: input.type as PropertyType,
    fieldType: String(input.fieldType),
    groupName: String(input.groupName),
    description: typeof input.description === 'string' ? input.description : '',
    options,
    hasUniqueValue: unique,
    hidden: input.hidden === true,
    formField: input.formField === true,
    displayOrder: typeof input.displayOrder === 'number' ? input.displayOrder : -1,
    hubspotDefined: false,
    readOnlyValue: false,
    calculated: false,
    externalOptions: input.externalOptions === true,
    referencedObjectType: typeof input.referencedObjectType === 'string' ? input.referencedObjectType : undefined,
    createdAt: now,
    updatedAt: now,
    archived: false,
  };
}

export function propertyRoutes(state: EmulatorState): Router {
  const r = Router();
  const read = (res: Response, type: ObjectTypeName) => requireScope(res, OBJECT_TYPES[type].schemaReadScope, OBJECT_TYPES[type].schemaWriteScope, OBJECT_TYPES[type].readScope);
  const write = (res: Response, type: ObjectTypeName) => requireScope(res, OBJECT_TYPES[type].schemaWriteScope);
  const missingProp = (name: string) => notFound(`Unable to find property ${name}`, { context: { name: [name] } });

  r.get('/crm/v3/properties/:objectType/groups', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = read(res, type);
    res.json({ results: [...portal.groupDefs[type].values()].filter((g) => !g.archived).map(serializeGroup) });
  });

  r.post('/crm/v3/properties/:objectType/groups', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = write(res, type);
    const body = requireBodyObject(req.body);
    if (typeof body.name !== 'string' || !body.name || typeof body.label !== 'string') throw badRequest('Property group needs "name" and "label"');
    if (portal.groupDefs[type].has(body.name)) {
      throw hsError(409, 'OBJECT_ALREADY_EXISTS', `A property group named '${body.name}' already exists.`, { context: { name: [body.name] } });
    }
    const group: GroupDef = { name: body.name, label: body.label, displayOrder: typeof body.displayOrder === 'number' ? body.displayOrder : -1, archived: false };
    portal.groupDefs[type].set(group.name, group);
    res.status(201).json(serializeGroup(group));
  });

  r.get('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = read(res, type);
    const group = portal.groupDefs[type].get(String(req.params.groupName));
    if (!group || group.archived) throw notFound(`Unable to find property group ${req.params.groupName}`);
    res.json(serializeGroup(group));
  });

  r.patch('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = write(res, type);
    const body = requireBodyObject(req.body);
    const group = portal.groupDefs[type].get(String(req.params.groupName));
    if (!group || group.archived) throw notFound(`Unable to find property group ${req.params.groupName}`);
    if (typeof body.label === 'string') group.label = body.label;
    if (typeof body.displayOrder === 'number') group.displayOrder = body.displayOrder;
    res.json(serializeGroup(group));
  });

  r.delete('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = write(res, type);
    const group = portal.groupDefs[type].get(String(req.params.groupName));
    if (group) group.archived = true;
    res.status(204).end();
  });

  r.get('/crm/v3/properties/:objectType', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = read(res, type);
    const archived = String(req.query.archived) === 'true';
    res.json({ results: [...portal.propertyDefs[type].values()].filter((p) => p.archived === archived).map(serializeProperty) });
  });

  r.post('/crm/v3/properties/:objectType', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = write(res, type);
    const prop = buildProperty(state, portal, type, requireBodyObject(req.body));
    portal.propertyDefs[type].set(prop.name, prop);
    res.status(201).json(serializeProperty(prop));
  });

  r.post('/crm/v3/properties/:objectType/batch/create', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = write(res, type);
    const started = state.clock.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of batchInputs(req.body)) {
      try {
        const prop = buildProperty(state, portal, type, input);
        portal.propertyDefs[type].set(prop.name, prop);
        results.push(serializeProperty(prop));
      } catch (e) {
        const body = (e as { body?: { category?: string; message?: string } }).body;
        if (!body) throw e;
        errors.push(standardError(body.category ?? 'VALIDATION_ERROR', body.message ?? 'invalid', { name: [String(input.name)] }));
      }
    }
    res.status(errors.length ? 207 : 201).json(batchResponse(started, results, errors, state.clock.now()));
  });

  r.post('/crm/v3/properties/:objectType/batch/read', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = read(res, type);
    const started = state.clock.now();
    const inputs = batchInputs(req.body);
    const found = inputs.map((i) => portal.propertyDefs[type].get(String(i.name))).filter((p): p is PropertyDef => !!p && !p.archived);
    const missing = inputs.map((i) => String(i.name)).filter((n) => !found.some((p) => p.name === n));
    const errors = missing.length ? [standardError('OBJECT_NOT_FOUND', 'Some properties could not be found', { names: missing })] : [];
    res.status(errors.length ? 207 : 200).json(batchResponse(started, found.map(serializeProperty), errors, state.clock.now()));
  });

  r.get('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = read(res, type);
    const prop = portal.propertyDefs[type].get(String(req.params.propertyName));
    if (!prop || prop.archived !== (String(req.query.archived) === 'true')) throw missingProp(String(req.params.propertyName));
    res.json(serializeProperty(prop));
  });

  r.patch('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = write(res, type);
    const body = requireBodyObject(req.body);
    const prop = portal.propertyDefs[type].get(String(req.params.propertyName));
    if (!prop || prop.archived) throw missingProp(String(req.params.propertyName));
    if (prop.hubspotDefined && (body.type !== undefined || body.fieldType !== undefined)) throw badRequest(`The definition of HubSpot-defined property ${prop.name} cannot be changed.`);
    if (body.type !== undefined || body.fieldType !== undefined) checkTypes(body.type ?? prop.type, body.fieldType ?? prop.fieldType);
    if (body.groupName !== undefined && !portal.groupDefs[type].has(String(body.groupName))) throw badRequest(`Property group '${String(body.groupName)}' does not exist.`);
    if (typeof body.label === 'string') prop.label = body.label;
    if (typeof body.description === 'string') prop.description = body.description;
    if (typeof body.groupName === 'string') prop.groupName = body.groupName;
    if (typeof body.type === 'string') prop.type = body.type as PropertyType;
    if (typeof body.fieldType === 'string') prop.fieldType = body.fieldType;
    if (typeof body.displayOrder === 'number') prop.displayOrder = body.displayOrder;
    if (typeof body.hidden === 'boolean') prop.hidden = body.hidden;
    if (typeof body.formField === 'boolean') prop.formField = body.formField;
    if (body.options !== undefined) prop.options = parseOptions(body.options);
    prop.updatedAt = state.clock.now();
    res.json(serializeProperty(prop));
  });

  r.delete('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = objectTypeParam(req);
    const { portal } = write(res, type);
    const prop = portal.propertyDefs[type].get(String(req.params.propertyName));
    if (prop?.hubspotDefined) throw badRequest(`HubSpot-defined property ${prop.name} cannot be archived.`);
    if (prop) prop.archived = true;
    res.status(204).end();
  });

  return r;
}
