// The HubSpot reads and writes behind a LINE Login link: a contact by email or id (with its email), a
// new contact, a merge, LINE properties. One HubSpot request each, through the portal client.
import type { HubSpotPortal } from '../hubspot/portal-client.ts';
import { HubSpotApiError } from '../hubspot/portal-client.ts';

export interface ContactWithEmail {
  id: number;
  email: string | null;
}

const asContact = (c: { id: string; properties: Record<string, string | null> }): ContactWithEmail => ({ id: Number(c.id), email: c.properties.email || null });

async function readOrNull(read: () => Promise<{ id: string; properties: Record<string, string | null> }>): Promise<ContactWithEmail | null> {
  try {
    return asContact(await read());
  } catch (error) {
    if (error instanceof HubSpotApiError && error.status === 404) return null;
    throw error;
  }
}

/** The contact whose email this is (HubSpot matches emails without regard to case); null when none. */
export function contactByEmail(hs: HubSpotPortal, email: string): Promise<ContactWithEmail | null> {
  return readOrNull(() => hs.call('contacts.read by email', (c) => c.crm.contacts.basicApi.getById(email, ['email'], undefined, undefined, false, 'email')));
}

/** The contact as it is now (a merged-away id answers the record it became); null when deleted. */
export function contactById(hs: HubSpotPortal, contactId: number): Promise<ContactWithEmail | null> {
  return readOrNull(() => hs.call('contacts.read', (c) => c.crm.contacts.basicApi.getById(String(contactId), ['email'])));
}

/** The id HubSpot names in the 409 it answers for a create whose email another contact already has. */
function existingIdOf(error: unknown): number | null {
  if (!(error instanceof HubSpotApiError) || error.status !== 409) return null;
  const message = (error.body as { message?: unknown } | undefined)?.message;
  const match = typeof message === 'string' ? /Existing ID: (\d+)/.exec(message) : null;
  return match ? Number(match[1]) : null;
}

/** Creates a contact; never retried blindly (HubSpot may have created it before an answer was lost). */
export async function createContact(hs: HubSpotPortal, properties: Record<string, string>): Promise<number> {
  const created = await hs.call('contacts.create', (c) => c.crm.contacts.basicApi.create({ properties, associations: [] }), { idempotent: false });
  return Number(created.id);
}

/** Creates a contact with an email, or answers the contact that has that email already (HubSpot's 409). */
export async function createContactWithEmail(hs: HubSpotPortal, properties: Record<string, string> & { email: string }): Promise<{ created: number } | { emailTakenBy: number }> {
  try {
    return { created: await createContact(hs, properties) };
  } catch (error) {
    const existing = existingIdOf(error);
    if (existing !== null) return { emailTakenBy: existing };
    throw error;
  }
}

export async function updateContact(hs: HubSpotPortal, contactId: number, properties: Record<string, string>): Promise<void> {
  await hs.call('contacts.update', (c) => c.crm.contacts.basicApi.update(String(contactId), { properties }));
}

/** Merges `secondary` into `primary`; answers the id of the record that remains (HubSpot may give it a new one). */
export async function mergeContacts(hs: HubSpotPortal, primary: number, secondary: number): Promise<number> {
  const merged = await hs.call('contacts.merge', (c) => c.crm.contacts.basicApi.merge({ primaryObjectId: String(primary), objectIdToMerge: String(secondary) }), { idempotent: false });
  return Number(merged.id);
}
