// Finds the contact of each LINE user without duplicates: the link table first, then a HubSpot search
// on the account's line_user_id property (IDs imported by CSV), then, when the account auto-creates
// contacts, a new contact from the LINE profile. Batched: one search and one create per 100 users.
//
// A create is never retried blindly: HubSpot may have made the contacts before its answer was lost (5xx,
// timeout, crash). contact_create_started_at is set on the links before the create, and again when its
// outcome turns out unknown; while it is recent, a link whose contact the search does not find waits and
// searches again instead of creating (the contact carries line_user_id, but search sees a new contact
// only once HubSpot's index caught up, usually within a few seconds; config.timings.contacts).
import { CONTACT_FILTER_IN } from '../hubspot/crm-enum-values.ts';
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { linePropertyName } from '../properties/property-names.ts';
import { nowMs } from '../db/database.ts';
import { HubSpotApiError, type HubSpotPortal } from '../hubspot/portal-client.ts';
import { lineContactProperties } from './contact-properties.ts';
import { fillContactOfLink, loadLinksById, type LinkRecord } from './links.ts';
import { contactNameFromDisplayName } from './profile-name.ts';

const CHUNK = 100;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * line_user_id → the oldest contact carrying it. HubSpot's search docs ask for lowercase values with IN on
 * a string property, and LINE user IDs begin with "U": the IDs are searched lowercased and, in a second
 * filter group (OR), as LINE spells them, so the search finds them whether or not HubSpot folds case.
 */
async function searchByLineUserId(hs: HubSpotPortal, propertyName: string, lineUserIds: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const values of chunks(lineUserIds)) {
    const asRequested = new Map(values.map((v) => [v.toLowerCase(), v]));
    const lowercase = [...asRequested.keys()];
    const filterGroups = [lowercase, values].map((list) => ({ filters: [{ propertyName, operator: CONTACT_FILTER_IN, values: list }] }));
    let after: string | undefined;
    do {
      const page = await hs.call('contacts.search', (client) =>
        client.crm.contacts.searchApi.doSearch({
          filterGroups,
          properties: [propertyName],
          sorts: [],
          limit: 200,
          after: after ?? '0',
        }),
      );
      for (const contact of page.results) {
        const userId = asRequested.get(contact.properties[propertyName]?.toLowerCase() ?? '');
        const id = Number(contact.id);
        if (userId && (!found.has(userId) || id < found.get(userId)!)) found.set(userId, id);
      }
      after = page.paging?.next?.after;
    } while (after);
  }
  return found;
}

export interface ResolveRequest {
  link: LinkRecord;
  /** Create a contact when none is found (and the account auto-creates contacts). */
  create: boolean;
}

/**
 * Gives every requested link a contact where possible (updating the links in place and in the database).
 * Returns the LINE users whose contact creation must wait for the search index (retry them later).
 */
export async function resolveContacts(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, requests: ResolveRequest[]): Promise<Set<string>> {
  const deferred = new Set<string>();
  const unresolved = requests.filter((r) => r.link.contactId === null);
  if (unresolved.length === 0) return deferred;
  const idProperty = linePropertyName('line_user_id', account.sequence);
  const found = await searchByLineUserId(hs, idProperty, unresolved.map((r) => r.link.lineUserId));
  const now = nowMs();
  const { searchIndexLagMs } = ctx.config.timings.contacts;
  const toCreate: LinkRecord[] = [];
  for (const { link, create } of unresolved) {
    const contactId = found.get(link.lineUserId);
    if (contactId !== undefined) {
      await linkTo(ctx, link, { contact_id: contactId, linked_at: now, linked_via: 'property_match', contact_create_started_at: null });
    } else if (create && account.autoCreateContacts) {
      if (link.contactCreateStartedAt !== null && now - link.contactCreateStartedAt < searchIndexLagMs) deferred.add(link.lineUserId);
      else toCreate.push(link);
    }
  }
  for (const batch of chunks(toCreate)) await createContacts(ctx, hs, account, batch, idProperty);
  return deferred;
}

/**
 * Writes the contact found or created onto the link, only if it is still without one; otherwise the link
 * keeps the contact it got meanwhile and `link` is brought up to date with it. Answers whether it was written.
 */
async function linkTo(ctx: AppContext, link: LinkRecord, fill: { contact_id: number; linked_at: number; linked_via: string; contact_create_started_at: null }): Promise<boolean> {
  if (await fillContactOfLink(ctx, link, fill)) {
    Object.assign(link, { contactId: fill.contact_id, linkedAt: fill.linked_at, linkedVia: fill.linked_via, contactCreateStartedAt: null });
    return true;
  }
  const [current] = await loadLinksById(ctx, link.portalId, [link.id]);
  if (current) Object.assign(link, current);
  return false;
}

async function createContacts(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, links: LinkRecord[], idProperty: string): Promise<void> {
  const started = nowMs();
  await ctx.db('line_links').where({ portal_id: account.portalId }).whereIn('id', links.map((l) => l.id)).update({ contact_create_started_at: started });
  const inputs = links.map((link) => ({
    properties: { ...contactNameFromDisplayName(link.displayName), ...lineContactProperties(account, { ...link, linkedAt: started }, undefined) },
    associations: [],
  }));
  let created;
  try {
    created = await hs.call('contacts.batch.create', (client) => client.crm.contacts.batchApi.create({ inputs }), { idempotent: false });
  } catch (error) {
    // Refused (4xx, 429): nothing was created, so the next attempt creates without waiting for search.
    // Unknown (5xx, timeout): the window restarts now, as a slow create may have committed just now.
    const refused = error instanceof HubSpotApiError && !error.isTransient;
    await ctx.db('line_links')
      .where({ portal_id: account.portalId })
      .whereIn('id', links.map((l) => l.id))
      .update({ contact_create_started_at: refused ? null : nowMs() });
    throw error;
  }
  const lineUserIdOf = await lineUserIdsOfCreated(hs, created.results, idProperty);
  const byUserId = new Map(links.map((l) => [l.lineUserId, l]));
  for (const contact of created.results) {
    const link = byUserId.get(lineUserIdOf.get(contact.id) ?? '');
    if (!link) continue;
    byUserId.delete(link.lineUserId);
    if (!(await linkTo(ctx, link, { contact_id: Number(contact.id), linked_at: started, linked_via: 'auto_created', contact_create_started_at: null }))) {
      // Created for nothing: the contact carries the LINE user ID, so the team can merge it into the linked one.
      ctx.logger.warn({ accountId: account.id, linkId: link.id, createdContactId: contact.id, linkedContactId: link.contactId }, 'a LINE user was linked by hand while its contact was being created');
    }
  }
  ctx.logger.info({ accountId: account.id, created: created.results.length }, 'contacts created for LINE users');
  if (byUserId.size > 0) {
    // The contacts exist but cannot be told apart: the job fails (and is retried), and since the links keep
    // contact_create_started_at the retry waits for search to find them by line_user_id instead of creating again.
    throw new Error(`HubSpot created ${created.results.length} contacts, but ${byUserId.size} of ${links.length} LINE users could not be matched to one by ${idProperty}`);
  }
}

/**
 * Created contact id → the LINE user ID it carries. Batch results are not in input order, so each is matched
 * by that property; a result answered without it is read back from HubSpot rather than left unmatched.
 */
async function lineUserIdsOfCreated(hs: HubSpotPortal, results: Array<{ id: string; properties: Record<string, string | null> }>, idProperty: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const unanswered: string[] = [];
  for (const contact of results) {
    const value = contact.properties[idProperty];
    if (value) ids.set(contact.id, value);
    else unanswered.push(contact.id);
  }
  if (unanswered.length === 0) return ids;
  const read = await hs.call('contacts.batch.read', (client) =>
    client.crm.contacts.batchApi.read({ inputs: unanswered.map((id) => ({ id })), properties: [idProperty], propertiesWithHistory: [] }),
  );
  for (const contact of read.results) {
    const value = contact.properties[idProperty];
    if (value) ids.set(contact.id, value);
  }
  return ids;
}
