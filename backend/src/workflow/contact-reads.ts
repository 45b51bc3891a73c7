// Contact property values the execution request did not carry, read with HubSpot's batch read: one call
// per 100 contacts (HubSpot's batch limit), whatever the number of properties. A contact HubSpot no longer
// has reads as empty, so its tokens show their fallbacks.
import type { AppContext } from '../context.ts';
import { hubspotFor } from '../hubspot/portal-client.ts';
import type { ContactValues } from './contact-tokens.ts';

export const READ_BATCH_LIMIT = 100;

export async function readContactValues(ctx: AppContext, portalId: number, contactIds: number[], properties: string[]): Promise<Map<number, ContactValues>> {
  const values = new Map<number, ContactValues>();
  const ids = [...new Set(contactIds)];
  if (ids.length === 0 || properties.length === 0) return values;
  const hubspot = await hubspotFor(ctx, portalId);
  for (let i = 0; i < ids.length; i += READ_BATCH_LIMIT) {
    const inputs = ids.slice(i, i + READ_BATCH_LIMIT).map((id) => ({ id: String(id) }));
    const page = await hubspot.call('contacts.batch.read', (c) => c.crm.contacts.batchApi.read({ inputs, properties, propertiesWithHistory: [] }));
    for (const contact of page.results) values.set(Number(contact.id), contact.properties);
  }
  return values;
}
