// Writes one link's LINE properties onto its contact (user ID, name, picture, follow status, linked
// date, conversation state): used when a link is made outside inbound processing, e.g. by hand from
// the LINE card, so HubSpot lists and workflows see the link at once.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { findAccount } from '../accounts/repository.ts';
import { hubspotFor, jobErrorFor } from '../hubspot/portal-client.ts';
import { z } from 'zod';
import { defineJob, jobOf } from '../jobs/define-job.ts';
import { loadLinksById } from '../contacts/links.ts';
import { inboundPartitionKey } from './chat-partition.ts';
import { syncContacts } from './sync-contacts.ts';

export const syncLinkJob = defineJob({
  type: 'contacts.sync-link',
  payload: z.object({ linkId: z.number().int().positive() }),
  async run(ctx: AppContext, job) {
    const [link] = await loadLinksById(ctx, job.portalId!, [job.payload.linkId]);
    if (!link || link.contactId === null) return; // unlinked or removed meanwhile: nothing to write
    const account = await findAccount(ctx, link.portalId, link.accountId);
    if (!account) return;
    try {
      const hs = await hubspotFor(ctx, account.portalId);
      await syncContacts(ctx, hs, account, [{ link, timelineMessageIds: [], rerenderNote: false }]);
    } catch (error) {
      throw jobErrorFor(error);
    }
  },
});

/** Queued in the LINE user's inbound partition, so it never races that user's event processing. */
export async function enqueueLinkSync(ctx: AppContext, link: { id: number; portalId: number; accountId: number; lineUserId: string }, trx?: Knex.Transaction): Promise<void> {
  await ctx.queue.enqueue(
    jobOf(syncLinkJob, { linkId: link.id }, { portalId: link.portalId, lineAccountId: link.accountId, partitionKey: inboundPartitionKey(link.accountId, link.lineUserId) }),
    trx,
  );
}
