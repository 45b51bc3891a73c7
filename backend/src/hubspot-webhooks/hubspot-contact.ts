// What HubSpot says about a contact right now. A webhook event is only a hint: it may be stale, or forged
// (one client secret signs everything HubSpot sends, so a signature does not prove HubSpot sent it), and
// every change it would cause is checked against this first. Errors other than 404 are thrown, for the
// job to be retried (jobErrorFor).
import type { AppContext } from '../context.ts';
import { HubSpotApiError, hubspotFor } from '../hubspot/portal-client.ts';

export type ContactNow =
  | { state: 'gone' }
  /** `id` differs from the id asked for when that contact was merged: HubSpot answers with the record it became. */
  | { state: 'live'; id: number; properties: Record<string, string | null> };

export async function readContactNow(ctx: AppContext, portalId: number, contactId: number, properties: string[] = []): Promise<ContactNow> {
  const hs = await hubspotFor(ctx, portalId);
  try {
    const contact = await hs.call('contacts.read', (client) => client.crm.contacts.basicApi.getById(String(contactId), properties));
    return { state: 'live', id: Number(contact.id), properties: contact.properties };
  } catch (error) {
    if (error instanceof HubSpotApiError && error.status === 404) return { state: 'gone' };
    throw error;
  }
}

/** hs_merged_object_ids: every id HubSpot merged into this record, ";"-separated. */
export function mergedIdsOf(contact: { properties: Record<string, string | null> }): Set<number> {
  return new Set((contact.properties.hs_merged_object_ids ?? '').split(';').filter(Boolean).map(Number));
}
