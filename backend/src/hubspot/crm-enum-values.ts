// The few values of the CRM client's enums that the app sends, typed as those enums without loading them.
// Importing an enum from @hubspot/api-client's codegen loads that object's whole generated API (about 55
// modules each; the four below were 219 of the 235 client modules an idle backend had loaded, issue 16).
// The client loads them itself on the first call to that API. test/hubspot/crm-enum-values.test.ts checks
// that each value is the enum's.
import type { FilterOperatorEnum as CompanyFilterOperator } from '@hubspot/api-client/lib/codegen/crm/companies/index.js';
import type { FilterOperatorEnum as ContactFilterOperator } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { AssociationSpecAssociationCategoryEnum as NoteAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/notes/index.js';
import type { AssociationSpecAssociationCategoryEnum as TaskAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';

/** Search filter operator IN, for the contacts search. */
export const CONTACT_FILTER_IN = 'IN' as ContactFilterOperator.In;
/** Search filter operator EQ, for the companies search. */
export const COMPANY_FILTER_EQ = 'EQ' as CompanyFilterOperator.Eq;
/** Association category HUBSPOT_DEFINED, for a note's associations. */
export const NOTE_ASSOCIATION_HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as NoteAssociationCategory.HubspotDefined;
/** Association category HUBSPOT_DEFINED, for a task's associations. */
export const TASK_ASSOCIATION_HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as TaskAssociationCategory.HubspotDefined;
