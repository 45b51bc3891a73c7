// contact.deletion and contact.privacyDeletion, acted on only once HubSpot answers 404 for the contact.
// HubSpot documents that a merged-away id keeps answering with the record it was merged into (developer
// changelog "Updated merge functionality for contacts and companies"): such an id no longer exists as
// such, so a deletion moves its links to that record, as the merge itself would. A privacy deletion
// erases only when the person is gone from HubSpot under every id.
import type { AppContext } from '../context.ts';
import type { WebhookEvent } from './events.ts';
import { contactsWithLinks, unlinkContact } from '../contacts/links.ts';
import { eraseContactData, moveLinksToMergedContact } from './contact-links.ts';
import { readContactNow } from './hubspot-contact.ts';
import { notConfirmed } from './not-confirmed.ts';

export async function applyDeletion(ctx: AppContext, event: WebhookEvent): Promise<unknown> {
  const { portalId, objectId } = event;
  if ((await contactsWithLinks(ctx, portalId, [objectId])).size === 0) return { unlinked: 0 };
  const now = await readContactNow(ctx, portalId, objectId);
  if (now.state === 'gone') return { unlinked: await unlinkContact(ctx, portalId, objectId) };
  if (now.id !== objectId) return { mergedInto: now.id, moved: await moveLinksToMergedContact(ctx, portalId, [objectId], now.id) };
  return notConfirmed(ctx, event, 'the contact still exists');
}

export async function applyPrivacyDeletion(ctx: AppContext, event: WebhookEvent): Promise<unknown> {
  const { portalId, objectId } = event;
  if ((await contactsWithLinks(ctx, portalId, [objectId])).size === 0) return { deleted: {} };
  const now = await readContactNow(ctx, portalId, objectId);
  if (now.state === 'live') return notConfirmed(ctx, event, now.id === objectId ? 'the contact still exists' : 'the contact lives on, merged into another', { mergedInto: now.id });
  return { deleted: await eraseContactData(ctx, portalId, objectId) };
}
