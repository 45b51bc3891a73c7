// The OAuth scopes the app asks for. They must equal src/app/app-hsmeta.json (auth.requiredScopes /
// optionalScopes): HubSpot refuses an authorize URL whose scopes differ from the app's definition.
// test/install/scopes.test.ts keeps the two in step.

export const REQUIRED_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.objects.owners.read',
  'automation',
  'timeline',
  // Whether the user behind a settings change is a super admin or has an allowed role (hubspot/app-admin.ts).
  'settings.users.read',
] as const;

export const OPTIONAL_SCOPES = ['crm.objects.companies.read', 'crm.objects.companies.write', 'crm.lists.read'] as const;
