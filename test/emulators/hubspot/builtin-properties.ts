// The HubSpot-defined properties and groups each object type starts with.
import type { ObjectTypeName } from './object-types.ts';

export type PropertyType = 'string' | 'number' | 'bool' | 'date' | 'datetime' | 'enumeration' | 'phone_number';

export interface PropertyOption {
  label: string;
  value: string;
  description?: string;
  displayOrder?: number;
  hidden: boolean;
}

export interface PropertyDef {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  displayOrder: number;
  hubspotDefined: boolean;
  readOnlyValue: boolean;
  calculated: boolean;
  externalOptions: boolean;
  referencedObjectType?: string;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface GroupDef {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

type Seed = [name: string, type: PropertyType, fieldType: string, label: string, extra?: Partial<PropertyDef>];

const opts = (...values: string[]): PropertyOption[] =>
  values.map((v, i) => ({ label: v.charAt(0) + v.slice(1).toLowerCase().replace(/_/g, ' '), value: v, displayOrder: i, hidden: false }));

const owner: Seed = ['hubspot_owner_id', 'enumeration', 'select', 'Owner', { externalOptions: true, referencedObjectType: 'OWNER' }];
const readOnly = { readOnlyValue: true };

const common = (created: string, modified: string): Seed[] => [
  ['hs_object_id', 'number', 'number', 'Record ID', { ...readOnly, hasUniqueValue: true }],
  [created, 'datetime', 'date', 'Create Date'],
  [modified, 'datetime', 'date', 'Last Modified Date', readOnly],
  ['hs_merged_object_ids', 'enumeration', 'checkbox', 'Merged Record IDs', readOnly],
];

const SEEDS: Record<ObjectTypeName, { group: [string, string]; props: Seed[] }> = {
  contacts: {
    group: ['contactinformation', 'Contact information'],
    props: [
      ...common('createdate', 'lastmodifieddate'),
      ['email', 'string', 'text', 'Email', { hasUniqueValue: true }],
      ['hs_additional_emails', 'enumeration', 'checkbox', 'Additional email addresses', readOnly],
      ['firstname', 'string', 'text', 'First Name'],
      ['lastname', 'string', 'text', 'Last Name'],
      ['phone', 'string', 'phonenumber', 'Phone Number'],
      ['mobilephone', 'string', 'phonenumber', 'Mobile Phone Number'],
      ['company', 'string', 'text', 'Company Name'],
      ['jobtitle', 'string', 'text', 'Job Title'],
      ['website', 'string', 'text', 'Website URL'],
      ['city', 'string', 'text', 'City'],
      ['country', 'string', 'text', 'Country/Region'],
      ['hs_language', 'string', 'text', 'Preferred language'],
      owner,
      ['lifecyclestage', 'enumeration', 'radio', 'Lifecycle Stage', {
        options: opts('subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'),
      }],
      ['hs_lead_status', 'enumeration', 'radio', 'Lead Status', {
        options: opts('NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'),
      }],
    ],
  },
  companies: {
    group: ['companyinformation', 'Company information'],
    props: [
      ...common('createdate', 'hs_lastmodifieddate'),
      ['name', 'string', 'text', 'Company name'],
      ['domain', 'string', 'text', 'Company Domain Name'],
      ['phone', 'string', 'phonenumber', 'Phone Number'],
      ['website', 'string', 'text', 'Website URL'],
      ['city', 'string', 'text', 'City'],
      ['country', 'string', 'text', 'Country/Region'],
      owner,
    ],
  },
  deals: {
    group: ['dealinformation', 'Deal information'],
    props: [
      ...common('createdate', 'hs_lastmodifieddate'),
      ['dealname', 'string', 'text', 'Deal Name'],
      ['amount', 'number', 'number', 'Amount'],
      ['closedate', 'datetime', 'date', 'Close Date'],
      ['pipeline', 'enumeration', 'select', 'Pipeline', { options: opts('default') }],
      ['dealstage', 'enumeration', 'radio', 'Deal Stage', {
        options: opts('appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'),
      }],
      owner,
    ],
  },
  tasks: {
    group: ['task', 'Task information'],
    props: [
      ...common('hs_createdate', 'hs_lastmodifieddate'),
      ['hs_timestamp', 'datetime', 'date', 'Due date'],
      ['hs_task_subject', 'string', 'text', 'Task Title'],
      ['hs_task_body', 'string', 'html', 'Task notes'],
      ['hs_task_status', 'enumeration', 'select', 'Task Status', { options: opts('NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED') }],
      ['hs_task_priority', 'enumeration', 'select', 'Priority', { options: opts('NONE', 'LOW', 'MEDIUM', 'HIGH') }],
      ['hs_task_type', 'enumeration', 'select', 'Task Type', { options: opts('TODO', 'CALL', 'EMAIL', 'LINKED_IN', 'MEETING', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE') }],
      ['hs_task_completion_date', 'datetime', 'date', 'Completed at'],
      ['hs_task_reminders', 'string', 'text', 'Reminders'],
      owner,
    ],
  },
  notes: {
    group: ['note', 'Note information'],
    props: [
      ...common('hs_createdate', 'hs_lastmodifieddate'),
      ['hs_timestamp', 'datetime', 'date', 'Activity date'],
      ['hs_note_body', 'string', 'html', 'Note body'],
      ['hs_attachment_ids', 'enumeration', 'checkbox', 'Attached file IDs', { externalOptions: true }],
      owner,
    ],
  },
  communications: {
    group: ['communication', 'Communication information'],
    props: [
      ...common('hs_createdate', 'hs_lastmodifieddate'),
      ['hs_timestamp', 'datetime', 'date', 'Activity date'],
      ['hs_communication_channel_type', 'enumeration', 'select', 'Channel type', { options: opts('WHATS_APP', 'LINKEDIN_MESSAGE', 'SMS') }],
      ['hs_communication_logged_from', 'enumeration', 'select', 'Logged from', { options: opts('CRM') }],
      ['hs_communication_body', 'string', 'html', 'Body'],
      owner,
    ],
  },
};

/** Properties whose values the request must supply when an object of that type is created. */
export const REQUIRED_ON_CREATE: Partial<Record<ObjectTypeName, string[]>> = {
  tasks: ['hs_timestamp'],
  notes: ['hs_timestamp'],
  communications: ['hs_timestamp'],
};

export function builtinProperties(type: ObjectTypeName, now: number): { groups: GroupDef[]; properties: PropertyDef[] } {
  const seed = SEEDS[type];
  const groups: GroupDef[] = [{ name: seed.group[0], label: seed.group[1], displayOrder: -1, archived: false }];
  const properties = seed.props.map(([name, ptype, fieldType, label, extra], i): PropertyDef => ({
    name,
    label,
    type: ptype,
    fieldType,
    groupName: seed.group[0],
    description: '',
    options: [],
    hasUniqueValue: false,
    hidden: false,
    formField: false,
    displayOrder: i,
    hubspotDefined: true,
    readOnlyValue: false,
    calculated: false,
    externalOptions: false,
    createdAt: now,
    updatedAt: now,
    archived: false,
    ...extra,
  }));
  return { groups, properties };
}
