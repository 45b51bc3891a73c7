// conversation.outbound-sent { messageId }: enqueued by the chat feature once LINE accepted an outbound
// message. The conversation is answered: last outbound date, flag cleared, owner task completed, and
// the message logged on the timeline like inbound ones. Batched like inbound events. Each job carries the
// portal it was enqueued for, which scopes the lookup of its message.
import type { AppContext } from '../context.ts';
import { findAccount } from '../accounts/repository.ts';
import { loadLinks } from '../contacts/links.ts';
import { hubspotFor, jobErrorFor } from '../hubspot/portal-client.ts';
import { z } from 'zod';
import { defineJob } from '../jobs/define-job.ts';
import { recordAnswer } from './conversation-state.ts';
import { sentOutboundMessages, type MessageRow } from './messages.ts';
import { syncContacts, type ContactSync } from './sync-contacts.ts';

export const outboundSentJob = defineJob({
  type: 'conversation.outbound-sent',
  payload: z.object({ messageId: z.number().int().positive() }),
  batchSize: 100,
  async runBatch(ctx: AppContext, jobs) {
    const jobByMessage = new Map(jobs.map((job) => [job.payload.messageId, job]));
    const idsByPortal = new Map<number, number[]>();
    for (const job of jobs) {
      if (job.portalId !== null) idsByPortal.set(job.portalId, [...(idsByPortal.get(job.portalId) ?? []), job.payload.messageId]);
    }
    const byAccount = new Map<string, MessageRow[]>();
    for (const [portalId, ids] of idsByPortal) {
      for (const row of await sentOutboundMessages(ctx, portalId, ids)) {
        const key = `${portalId}:${row.line_account_id}`;
        byAccount.set(key, [...(byAccount.get(key) ?? []), row]);
      }
    }
    const failures = new Map<number, unknown>();
    for (const messages of byAccount.values()) {
      const account = await findAccount(ctx, messages[0].portal_id, messages[0].line_account_id);
      if (!account) continue;
      try {
        const links = await loadLinks(ctx, account, messages.map((m) => String(m.line_user_id)));
        const syncs = new Map<number, ContactSync>();
        for (const m of messages.sort((a, b) => Number(a.id) - Number(b.id))) {
          const link = links.get(String(m.line_user_id));
          if (!link) continue;
          await recordAnswer(ctx, account.portalId, link.id, Number(m.sent_at ?? m.created_at));
          const sync = syncs.get(link.id) ?? { link, timelineMessageIds: [], rerenderNote: false };
          sync.timelineMessageIds.push(Number(m.id));
          syncs.set(link.id, sync);
        }
        if (syncs.size) await syncContacts(ctx, await hubspotFor(ctx, account.portalId), account, [...syncs.values()]);
      } catch (error) {
        for (const m of messages) {
          const job = jobByMessage.get(Number(m.id))!;
          failures.set(job.id, jobErrorFor(error));
        }
      }
    }
    return failures;
  },
});
