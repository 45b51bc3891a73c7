// The records a "Send LINE message" step can enroll: a contact, whose LINE user gets the messages
// ("Send LINE message", contact workflows), or a company, whose LINE group gets them ("Send LINE message
// to group", company workflows). Each kind has its own action definition and URL; everything else
// (inputs, templates, tokens, outputs, exactly-once) is the same code.
import type { TokenObject } from './object-tokens.ts';

export type CrmObjectType = 'contacts' | 'companies';

export interface ActionObject {
  kind: TokenObject;
  /** The CRM object type HubSpot's APIs name (properties, batch reads). */
  crmType: CrmObjectType;
  /** object.objectType in HubSpot's execution request. */
  executionType: 'CONTACT' | 'COMPANY';
  actionPath: string;
  /** Whether identical messages to several records share one multicast: LINE's multicast takes user IDs only. */
  multicast: boolean;
}

export const ACTION_OBJECTS: readonly ActionObject[] = [
  { kind: 'contact', crmType: 'contacts', executionType: 'CONTACT', actionPath: '/hubspot/actions/send-line-message', multicast: true },
  { kind: 'company', crmType: 'companies', executionType: 'COMPANY', actionPath: '/hubspot/actions/send-line-group-message', multicast: false },
];

export const actionObject = (kind: TokenObject): ActionObject => ACTION_OBJECTS.find((o) => o.kind === kind)!;
