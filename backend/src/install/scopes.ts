// The OAuth scopes the app asks for. They must equal src/app/app-hsmeta.json (auth.requiredScopes /
// optionalScopes): HubSpot refuses an authorize URL whose scopes differ from the app's definition.
// test/install/scopes.test.ts keeps the two in step. HubSpot's listing review refuses scopes no feature
// uses, so each one names the code that needs it.

export const REQUIRED_SCOPES = [
  // Token exchange, refresh and introspection (hubspot/oauth-api.ts), uninstall (install/disconnect.ts).
  'oauth',
  // Contact search and reads (contacts/resolve-contacts.ts, hubspot-webhooks/hubspot-contact.ts,
  // conversation/owner-tasks.ts, conversation/lost-creates.ts).
  'crm.objects.contacts.read',
  // Contact creates and LINE property updates (contacts/resolve-contacts.ts, conversation/sync-contacts.ts),
  // and the notes and tasks attached to contacts (conversation/timeline-notes.ts, conversation/owner-tasks.ts).
  'crm.objects.contacts.write',
  // The "LINE" property group and its properties (properties/provision-properties.ts).
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  // Companies of LINE groups: found, created and updated with the group's properties, associated with the
  // members' contacts, with notes and tasks (groups/).
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  // The "LINE group" company property group and its properties (properties/provision-properties.ts).
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  // The "Send LINE message" workflow action and its completion callbacks (workflow/complete-job.ts).
  'automation',
  // App events on the contact timeline (conversation/timeline-app-events.ts).
  'timeline',
  // Whether the user behind a settings change is a super admin or has an allowed role (hubspot/app-admin.ts).
  'settings.users.read',
] as const;

export const OPTIONAL_SCOPES: readonly string[] = [];
