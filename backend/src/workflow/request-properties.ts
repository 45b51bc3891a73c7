// The properties each action definition asks HubSpot to send with every execution (objectRequestOptions
// .properties of src/app/workflow-actions/send-line-message-hsmeta.json for contacts and
// send-line-group-message-hsmeta.json for companies; a test keeps each pair of lists equal). Tokens naming
// these need no HubSpot call; any other is batch-read. They are HubSpot's default properties of the
// object, present in every account.
import type { TokenObject } from './object-tokens.ts';

export const REQUEST_PROPERTIES: Record<TokenObject, readonly string[]> = {
  contact: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company', 'jobtitle', 'website', 'city', 'country', 'hs_language'],
  company: ['name', 'domain', 'website', 'phone', 'city', 'country'],
};
