// The HubSpot side of a batch of conversation changes, for one LINE account: owner tasks opened and
// completed, LINE properties written in batches, messages put on the timeline. Every step re-reads
// or recomputes its state, so a batch retried after any failure converges without duplicates.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import type { HubSpotPortal } from '../hubspot/portal-client.ts';
import { lineContactProperties } from '../contacts/contact-properties.ts';
import { updateLink, type LinkRecord } from '../contacts/links.ts';
import { loadConversations, type ConversationState } from './conversation-state.ts';
import { loadLoggedMessages } from './logged-messages.ts';
import { completeOwnerTasks, createOwnerTasks } from './owner-tasks.ts';
import { logOnTimeline } from './timeline.ts';

const CHUNK = 100;

export interface ContactSync {
  link: LinkRecord;
  /** messages.id of messages to put on the timeline. */
  timelineMessageIds: number[];
  /** A message of the current session changed: rewrite the session note. */
  rerenderNote: boolean;
}

type Linked = LinkRecord & { contactId: number };

/** Returns the ids of links whose contact turned out to be gone. */
async function writeProperties(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, links: Linked[], conversations: Map<number, ConversationState>): Promise<Set<number>> {
  const gone = new Set<number>();
  for (let i = 0; i < links.length; i += CHUNK) {
    const slice = links.slice(i, i + CHUNK);
    const inputs = slice.map((link) => ({ id: String(link.contactId), properties: lineContactProperties(account, link, conversations.get(link.id)) }));
    const result = await hs.call('contacts.batch.update', (client) => client.crm.contacts.batchApi.update({ inputs }));
    const updated = new Set(result.results.map((c) => Number(c.id)));
    for (const link of slice) {
      if (updated.has(link.contactId)) continue;
      // The contact was deleted (or merged away) in HubSpot: unlink, so the next event finds or creates it again.
      ctx.logger.warn({ accountId: account.id, contactId: link.contactId }, 'linked contact no longer exists; link cleared');
      await updateLink(ctx, link, { contact_id: null, linked_at: null, linked_via: null });
      gone.add(link.id);
    }
  }
  return gone;
}

export async function syncContacts(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, syncs: ContactSync[]): Promise<void> {
  const linked = syncs.filter((s): s is ContactSync & { link: Linked } => s.link.contactId !== null);
  if (linked.length === 0) return;
  const conversations = await loadConversations(ctx, account.portalId, linked.map((s) => s.link.id));
  await completeOwnerTasks(ctx, hs, account.portalId, [...conversations.values()]);
  await createOwnerTasks(ctx, hs, account, linked.map((s) => ({ link: s.link, conversation: conversations.get(s.link.id)! })));
  const gone = await writeProperties(ctx, hs, account, linked.map((s) => s.link), conversations);
  const messages = await loadLoggedMessages(ctx, account.portalId, linked.flatMap((s) => s.timelineMessageIds));
  const items = linked
    .filter((s) => !gone.has(s.link.id))
    .map((s) => ({
      link: s.link,
      conversation: conversations.get(s.link.id)!,
      messages: messages.filter((m) => s.timelineMessageIds.includes(m.id)),
      rerender: s.rerenderNote,
    }))
    .filter((item) => item.messages.length > 0 || item.rerender);
  await logOnTimeline(ctx, hs, account, items);
}
