// conversation.outbound-sent { messageId }: enqueued by the chat feature once LINE accepted an outbound
// message. The conversation is answered: last outbound date, flag cleared, owner task completed, and
// the message logged on the timeline like inbound ones. Batched like inbound events.
import type { AppContext } from '../context.ts';
import { accountFromRow } from '../accounts/repository.ts';
import { loadLinks } from '../contacts/links.ts';
import { hubspotFor, jobErrorFor } from '../hubspot/portal-client.ts';
import { z } from 'zod';
import { defineJob } from '../jobs/define-job.ts';
import { recordAnswer } from './conversation-state.ts';
import { syncContacts, type ContactSync } from './sync-contacts.ts';

type Row = Record<string, unknown>;

export const outboundSentJob = defineJob({
  type: 'conversation.outbound-sent',
  payload: z.object({ messageId: z.number().int().positive() }),
  batchSize: 100,
  async runBatch(ctx: AppContext, jobs) {
    const jobByMessage = new Map(jobs.map((job) => [job.payload.messageId, job]));
    const rows: Row[] = await ctx.db('messages')
      .whereIn('id', [...jobByMessage.keys()])
      .where({ direction: 'outbound', status: 'sent' });
    const byAccount = new Map<number, Row[]>();
    for (const row of rows) byAccount.set(Number(row.line_account_id), [...(byAccount.get(Number(row.line_account_id)) ?? []), row]);
    const failures = new Map<number, unknown>();
    for (const [accountId, messages] of byAccount) {
      const accountRow = await ctx.db('line_accounts').where({ id: accountId }).first();
      if (!accountRow) continue;
      const account = accountFromRow(ctx, accountRow);
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
