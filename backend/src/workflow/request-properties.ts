// The contact properties the action definition asks HubSpot to send with every execution
// (objectRequestOptions.properties of src/app/workflow-actions/send-line-message-hsmeta.json; a project
// test keeps the two lists equal). Tokens naming these need no HubSpot call; any other is batch-read.
// They are HubSpot's default contact properties, present in every account.
export const REQUEST_PROPERTIES: readonly string[] = [
  'firstname',
  'lastname',
  'email',
  'phone',
  'mobilephone',
  'company',
  'jobtitle',
  'website',
  'city',
  'country',
  'hs_language',
];
