// HubSpot-defined association types between the emulated object types, and the association store.
import { badRequest } from './errors.ts';
import { OBJECT_TYPES } from './object-types.ts';
import type { ObjectTypeName } from './object-types.ts';
import type { AssociationRow, AssociationSpec, PortalState } from './state.ts';

interface TypeDef {
  from: ObjectTypeName;
  to: ObjectTypeName;
  id: number;
  inverse: number;
  label?: string;
  isDefault: boolean;
}

const pairs: Array<[ObjectTypeName, ObjectTypeName, number, number, string?]> = [
  ['contacts', 'companies', 279, 280],
  ['contacts', 'companies', 1, 2, 'Primary'],
  ['contacts', 'deals', 4, 3],
  ['contacts', 'tasks', 203, 204],
  ['contacts', 'notes', 201, 202],
  ['contacts', 'communications', 82, 81],
  ['companies', 'deals', 342, 341],
  ['companies', 'deals', 6, 5, 'Primary'],
  ['companies', 'tasks', 191, 192],
  ['companies', 'notes', 189, 190],
  ['companies', 'communications', 88, 87],
  ['deals', 'tasks', 215, 216],
  ['deals', 'notes', 213, 214],
  ['deals', 'communications', 86, 85],
];

const TYPES: TypeDef[] = pairs.flatMap(([from, to, id, inverse, label]) => [
  { from, to, id, inverse, label, isDefault: !label },
  { from: to, to: from, id: inverse, inverse: id, label, isDefault: !label },
]);

export function hubspotDefinedTypes(from: ObjectTypeName, to: ObjectTypeName): TypeDef[] {
  return TYPES.filter((t) => t.from === from && t.to === to);
}

export function defaultType(from: ObjectTypeName, to: ObjectTypeName): TypeDef | undefined {
  return TYPES.find((t) => t.from === from && t.to === to && t.isDefault);
}

export function labelOf(from: ObjectTypeName, to: ObjectTypeName, spec: AssociationSpec): string | undefined {
  if (spec.associationCategory !== 'HUBSPOT_DEFINED') return undefined;
  return TYPES.find((t) => t.from === from && t.to === to && t.id === spec.associationTypeId)?.label;
}

/** Checks association specs for a pair of object types; HubSpot rejects unknown HUBSPOT_DEFINED ids. */
export function checkSpecs(from: ObjectTypeName, to: ObjectTypeName, specs: unknown): AssociationSpec[] {
  if (!Array.isArray(specs) || specs.length === 0) throw badRequest('At least one association type must be provided in "types".');
  return specs.map((s) => {
    const spec = s as Partial<AssociationSpec>;
    const categories = ['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED', 'WORK'];
    if (!spec || !categories.includes(String(spec.associationCategory)) || !Number.isInteger(spec.associationTypeId)) {
      throw badRequest(`Invalid association type ${JSON.stringify(s)}: associationCategory and integer associationTypeId are required.`);
    }
    if (spec.associationCategory === 'HUBSPOT_DEFINED' && !hubspotDefinedTypes(from, to).some((t) => t.id === spec.associationTypeId)) {
      throw badRequest(
        `${spec.associationTypeId} is not a valid association type between ${OBJECT_TYPES[from].singular} and ${OBJECT_TYPES[to].singular}.`,
        { subCategory: 'crm-associations.INVALID_ASSOCIATION_TYPE' },
      );
    }
    return { associationCategory: spec.associationCategory, associationTypeId: spec.associationTypeId } as AssociationSpec;
  });
}

function inverseSpec(from: ObjectTypeName, to: ObjectTypeName, spec: AssociationSpec): AssociationSpec {
  if (spec.associationCategory !== 'HUBSPOT_DEFINED') return spec;
  const def = TYPES.find((t) => t.from === from && t.to === to && t.id === spec.associationTypeId);
  return { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def ? def.inverse : spec.associationTypeId };
}

function row(portal: PortalState, fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string, create: boolean): AssociationRow | undefined {
  let r = portal.associations.find((a) => a.fromType === fromType && a.fromId === fromId && a.toType === toType && a.toId === toId);
  if (!r && create) {
    r = { fromType, fromId, toType, toId, types: [] };
    portal.associations.push(r);
  }
  return r;
}

const sameSpec = (a: AssociationSpec, b: AssociationSpec) => a.associationCategory === b.associationCategory && a.associationTypeId === b.associationTypeId;

/** Stores an association in both directions (HubSpot associations are bidirectional). */
export function associate(portal: PortalState, fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string, specs: AssociationSpec[]): void {
  const fwd = row(portal, fromType, fromId, toType, toId, true)!;
  const back = row(portal, toType, toId, fromType, fromId, true)!;
  for (const spec of specs) {
    if (!fwd.types.some((t) => sameSpec(t, spec))) fwd.types.push(spec);
    const inv = inverseSpec(fromType, toType, spec);
    if (!back.types.some((t) => sameSpec(t, inv))) back.types.push(inv);
  }
}

/** Removes all (or only the given) association types between two records, both directions. */
export function dissociate(portal: PortalState, fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string, specs?: AssociationSpec[]): void {
  const fwd = row(portal, fromType, fromId, toType, toId, false);
  const back = row(portal, toType, toId, fromType, fromId, false);
  if (fwd) fwd.types = specs ? fwd.types.filter((t) => !specs.some((s) => sameSpec(s, t))) : [];
  if (back) back.types = specs ? back.types.filter((t) => !specs.some((s) => sameSpec(inverseSpec(fromType, toType, s), t))) : [];
  portal.associations = portal.associations.filter((a) => a.types.length > 0);
}

export function associationsOf(portal: PortalState, fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName): AssociationRow[] {
  return portal.associations.filter((a) => a.fromType === fromType && a.fromId === fromId && a.toType === toType && a.types.length > 0);
}

/** Moves every association of `fromId` onto `toId` (used by merges). */
export function moveAssociations(portal: PortalState, type: ObjectTypeName, fromId: string, toId: string): void {
  const moving = portal.associations.filter((a) => a.fromType === type && a.fromId === fromId);
  for (const a of moving) {
    if (!(a.toType === type && a.toId === toId)) associate(portal, type, toId, a.toType, a.toId, a.types);
    dissociate(portal, type, fromId, a.toType, a.toId);
  }
}

/** The v3 association type string, e.g. "task_to_contact" or "contact_to_company_unlabeled". */
export function v3TypeName(from: ObjectTypeName, to: ObjectTypeName, spec: AssociationSpec): string {
  const base = `${OBJECT_TYPES[from].assocName}_to_${OBJECT_TYPES[to].assocName}`;
  const label = labelOf(from, to, spec);
  if (label) return base;
  if (spec.associationCategory !== 'HUBSPOT_DEFINED') return `${base}_${spec.associationTypeId}`;
  return hubspotDefinedTypes(from, to).length > 1 ? `${base}_unlabeled` : base;
}
