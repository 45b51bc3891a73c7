// backend/src/hubspot/crm-enum-values.ts writes the CRM client's enum values out instead of loading the
// client's generated APIs for them: each must be the value of the enum it is typed as.
import { describe, expect, it } from 'vitest';
import { FilterOperatorEnum as CompanyFilterOperator } from '@hubspot/api-client/lib/codegen/crm/companies/index.js';
import { FilterOperatorEnum as ContactFilterOperator } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { AssociationSpecAssociationCategoryEnum as NoteAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/notes/index.js';
import { AssociationSpecAssociationCategoryEnum as TaskAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import * as values from '../../backend/src/hubspot/crm-enum-values.ts';

describe("the CRM client's enum values", () => {
  it('are the values of the enums they stand for', () => {
    expect({ ...values }).toEqual({
      CONTACT_FILTER_IN: ContactFilterOperator.In,
      COMPANY_FILTER_EQ: CompanyFilterOperator.Eq,
      NOTE_ASSOCIATION_HUBSPOT_DEFINED: NoteAssociationCategory.HubspotDefined,
      TASK_ASSOCIATION_HUBSPOT_DEFINED: TaskAssociationCategory.HubspotDefined,
    });
  });
});
