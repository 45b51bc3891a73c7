// contact.merge: links move only from ids HubSpot lists in the surviving record's hs_merged_object_ids.
// The survivor is read at HubSpot, so a merge made since (HubSpot gives every merge a new record) is
// followed to the record that exists now; ids the event names but HubSpot did not merge keep their links.
import type { AppContext } from '../context.ts';
import type { WebhookEvent } from './events.ts';
import { contactsWithLinks } from '../contacts/links.ts';
import { moveLinksToMergedContact } from './contact-links.ts';
import { mergedIdsOf, readContactNow } from './hubspot-contact.ts';
import { notConfirmed } from './not-confirmed.ts';

export async function applyMerge(ctx: AppContext, event: WebhookEvent): Promise<unknown> {
  const { portalId, objectId } = event;
  const claimedSurvivor = event.newObjectId ?? event.primaryObjectId ?? objectId;
  const named = [...(event.mergedObjectIds ?? []), objectId, ...(event.primaryObjectId ? [event.primaryObjectId] : []), claimedSurvivor];
  const linked = [...(await contactsWithLinks(ctx, portalId, [...new Set(named)]))];
  if (!linked.some((id) => id !== claimedSurvivor)) return { moved: 0 };
  const survivor = await readContactNow(ctx, portalId, claimedSurvivor, ['hs_merged_object_ids']);
  if (survivor.state === 'gone') return notConfirmed(ctx, event, 'the merged contact does not exist');
  const absorbed = mergedIdsOf(survivor);
  const movable = linked.filter((id) => id !== survivor.id);
  const refused = movable.filter((id) => !absorbed.has(id));
  if (refused.length) notConfirmed(ctx, event, 'HubSpot did not merge these contacts into the survivor', { survivor: survivor.id, refusedIds: refused });
  const confirmed = movable.filter((id) => absorbed.has(id));
  return { survivor: survivor.id, moved: await moveLinksToMergedContact(ctx, portalId, confirmed, survivor.id) };
}
