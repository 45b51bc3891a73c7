// The CRM object types the emulator knows, with their ids, aliases and per-type property names.

export type ObjectTypeName = 'contacts' | 'companies' | 'deals' | 'tasks' | 'notes' | 'communications';

export interface ObjectTypeInfo {
  name: ObjectTypeName;
  typeId: string;
  singular: string;
  /** Name used in v3 association type strings, e.g. "task_to_contact". */
  assocName: string;
  /** Upper-case name used in error messages ("Could not get some CONTACT objects"). */
  upper: string;
  createdProp: string;
  modifiedProp: string;
  /** Properties returned when a request names none. */
  defaults: string[];
  /** Properties the free-text `query` of a search looks at. */
  searchable: string[];
  readScope: string;
  writeScope: string;
  schemaReadScope: string;
  schemaWriteScope: string;
}

const engagement = (name: ObjectTypeName, typeId: string, singular: string, searchable: string[]): ObjectTypeInfo => ({
  name,
  typeId,
  singular,
  assocName: singular,
  upper: singular.toUpperCase(),
  createdProp: 'hs_createdate',
  modifiedProp: 'hs_lastmodifieddate',
  defaults: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  searchable,
  readScope: 'crm.objects.contacts.read',
  writeScope: 'crm.objects.contacts.write',
  schemaReadScope: 'crm.schemas.contacts.read',
  schemaWriteScope: 'crm.schemas.contacts.write',
});

export const OBJECT_TYPES: Record<ObjectTypeName, ObjectTypeInfo> = {
  contacts: {
    name: 'contacts',
    typeId: '0-1',
    singular: 'contact',
    assocName: 'contact',
    upper: 'CONTACT',
    createdProp: 'createdate',
    modifiedProp: 'lastmodifieddate',
    defaults: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    searchable: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company', 'hs_additional_emails'],
    readScope: 'crm.objects.contacts.read',
    writeScope: 'crm.objects.contacts.write',
    schemaReadScope: 'crm.schemas.contacts.read',
    schemaWriteScope: 'crm.schemas.contacts.write',
  },
  companies: {
    name: 'companies',
    typeId: '0-2',
    singular: 'company',
    assocName: 'company',
    upper: 'COMPANY',
    createdProp: 'createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaults: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    searchable: ['name', 'domain', 'phone', 'website'],
    readScope: 'crm.objects.companies.read',
    writeScope: 'crm.objects.companies.write',
    schemaReadScope: 'crm.schemas.companies.read',
    schemaWriteScope: 'crm.schemas.companies.write',
  },
  deals: {
    name: 'deals',
    typeId: '0-3',
    singular: 'deal',
    assocName: 'deal',
    upper: 'DEAL',
    createdProp: 'createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaults: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
    searchable: ['dealname'],
    readScope: 'crm.objects.deals.read',
    writeScope: 'crm.objects.deals.write',
    schemaReadScope: 'crm.schemas.deals.read',
    schemaWriteScope: 'crm.schemas.deals.write',
  },
  tasks: engagement('tasks', '0-27', 'task', ['hs_task_subject', 'hs_task_body']),
  notes: engagement('notes', '0-46', 'note', ['hs_note_body']),
  communications: engagement('communications', '0-18', 'communication', ['hs_communication_body']),
};

/** Accepts "contacts", "contact", "CONTACT", "0-1" and friends. */
export function resolveObjectType(raw: string | undefined): ObjectTypeName | undefined {
  if (!raw) return undefined;
  const lower = raw.toLowerCase();
  for (const info of Object.values(OBJECT_TYPES)) {
    if (lower === info.name || lower === info.singular || lower === info.typeId) return info.name;
  }
  return undefined;
}

export const ALL_OBJECT_TYPES = Object.keys(OBJECT_TYPES) as ObjectTypeName[];
