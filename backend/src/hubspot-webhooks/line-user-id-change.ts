// contact.propertyChange of line_user_id(_N): someone set or cleared the LINE user ID on a contact in
// HubSpot (by hand, import, workflow). The link follows the value HubSpot holds NOW, not the event's, and
// only under the linking rule of contacts/link-rule.ts: empty links are filled, existing ones never move
// (refusals are logged). An emptied value unlinks only once HubSpot holds it empty.
import type { AppContext } from '../context.ts';
import { findAccountIdBySequence } from '../accounts/repository.ts';
import { checkLink, fillLink, LINE_USER_ID, type LinkRefusal } from '../contacts/link-rule.ts';
import type { WebhookEvent } from './events.ts';
import { linkedLineUserIds, unlinkContact } from '../contacts/links.ts';
import { readContactNow } from './hubspot-contact.ts';
import { notConfirmed } from './not-confirmed.ts';

export type LineUserIdOutcome = 'linked' | 'unchanged' | 'unlinked' | 'no_account' | 'invalid_user_id' | LinkRefusal | { notConfirmed: string };

/** Whether the event only tells what is already stored (mostly our own writes of the property coming back). */
async function alreadyStored(ctx: AppContext, portalId: number, accountId: number, contactId: number, value: string): Promise<boolean> {
  const users = await linkedLineUserIds(ctx, portalId, accountId, contactId);
  return value ? users.includes(value) : users.length === 0;
}

export async function applyLineUserIdChange(ctx: AppContext, event: WebhookEvent, propertyName: string, sequence: number): Promise<LineUserIdOutcome> {
  const { portalId, objectId: contactId } = event;
  const accountId = await findAccountIdBySequence(ctx, portalId, sequence);
  if (accountId === undefined) return 'no_account';
  // Nothing would change on the event's word, so HubSpot need not be asked; a later change brings its own event.
  if (await alreadyStored(ctx, portalId, accountId, contactId, (event.propertyValue ?? '').trim())) return 'unchanged';
  const now = await readContactNow(ctx, portalId, contactId, [propertyName]);
  if (now.state === 'gone' || now.id !== contactId) return notConfirmed(ctx, event, 'the contact no longer exists as such');
  const lineUserId = (now.properties[propertyName] ?? '').trim();
  if (!lineUserId) return (await unlinkContact(ctx, portalId, contactId, accountId)) > 0 ? 'unlinked' : 'unchanged';
  if (!LINE_USER_ID.test(lineUserId)) return 'invalid_user_id';
  const target = { portalId, accountId, contactId, lineUserId };
  const check = await checkLink(ctx, target);
  if (check.kind === 'linked') return 'unchanged';
  if (check.kind === 'fillable' && (await fillLink(ctx, target, { linked_via: 'hubspot_property' }))) return 'linked';
  // Not filled: refused, or another link won meanwhile.
  const reason = check.kind === 'refused' ? check.reason : 'line_user_linked_elsewhere';
  ctx.logger.warn({ portalId, contactId, accountId, reason }, 'line_user_id change not applied: it would move an existing LINE link');
  return reason;
}
