// Finds the owner tasks and session notes that a create made although its answer was lost (5xx after
// HubSpot committed, timeout, crash). Before each create the object's hs_timestamp is stored on the
// conversation (task_create_marker / note_create_marker); the next pass looks for an object with that
// hs_timestamp among the contact's associations. Associations are read from the records themselves,
// not from the search index (which shows new objects only seconds later), so an object not found now
// was not created and can be created without making a duplicate.
import type { HubSpotPortal } from '../hubspot/portal-client.ts';

export interface LostCreate {
  contactId: number;
  /** The hs_timestamp (epoch ms) the create carried. */
  timestamp: number;
}

type EngagementType = 'tasks' | 'notes';

const ASSOCIATION_BATCH = 100;
const READ_BATCH = 100;

/** HubSpot answers datetimes as ISO 8601; epoch milliseconds are accepted too. */
const epochMs = (value: string | null | undefined) => (value && /^\d+$/.test(value) ? Number(value) : Date.parse(value ?? ''));

/** object id → the contacts it is associated with, for every object of `objectType` on these contacts. */
async function associatedObjects(hs: HubSpotPortal, objectType: EngagementType, contactIds: number[]): Promise<Map<string, number[]>> {
  const contactsOf = new Map<string, number[]>();
  for (let i = 0; i < contactIds.length; i += ASSOCIATION_BATCH) {
    let inputs: Array<{ id: string; after?: string }> = contactIds.slice(i, i + ASSOCIATION_BATCH).map((id) => ({ id: String(id) }));
    while (inputs.length) {
      const page = await hs.call(`contacts.${objectType}.associations.batch.read`, (client) =>
        client.crm.associations.v4.batchApi.getPage('contacts', objectType, { inputs }),
      );
      const next: typeof inputs = [];
      for (const result of page.results) {
        const contactId = Number(result._from.id);
        for (const to of result.to) contactsOf.set(String(to.toObjectId), [...(contactsOf.get(String(to.toObjectId)) ?? []), contactId]);
        const after = result.paging?.next?.after;
        if (after) next.push({ id: result._from.id, after });
      }
      inputs = next;
    }
  }
  return contactsOf;
}

/** For each lost create, the id of the object it made, when HubSpot has one (absent: it was not created). */
export async function findLostCreates<T extends LostCreate>(hs: HubSpotPortal, objectType: EngagementType, lost: T[]): Promise<Map<T, string>> {
  const found = new Map<T, string>();
  if (lost.length === 0) return found;
  const contactsOf = await associatedObjects(hs, objectType, [...new Set(lost.map((l) => l.contactId))]);
  const ids = [...contactsOf.keys()];
  for (let i = 0; i < ids.length; i += READ_BATCH) {
    const inputs = ids.slice(i, i + READ_BATCH).map((id) => ({ id }));
    const page = await hs.call(`${objectType}.batch.read`, (client) =>
      client.crm.objects.batchApi.read(objectType, { inputs, properties: ['hs_timestamp'], propertiesWithHistory: [] }),
    );
    for (const object of page.results) {
      const at = epochMs(object.properties.hs_timestamp);
      const contacts = contactsOf.get(object.id) ?? [];
      for (const l of lost) if (l.timestamp === at && contacts.includes(l.contactId)) found.set(l, object.id);
    }
  }
  return found;
}
