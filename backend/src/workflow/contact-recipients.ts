// Contact workflows: the messages go to the LINE user linked to the enrolled contact. A contact without
// one is `not_linked`, a user who blocked the account `blocked`; a send is logged in the user's
// conversation (the contact's chat panel) and queues conversation.outbound-sent (timeline, last outbound
// date, unanswered flag).
import { loadLinks } from '../contacts/links.ts';
import { insertOutboundMessages, type NewOutboundMessage } from '../conversation/messages.ts';
import { outboundSentJob } from '../conversation/outbound-sent-job.ts';
import { jobOf } from '../jobs/define-job.ts';
import type { Execution } from './executions.ts';
import type { Recipients, SentLog } from './recipients.ts';
import { sentRowsOf } from './sent-messages.ts';

function sentMessagesOf(sent: SentLog, e: Execution): NewOutboundMessage[] {
  return sentRowsOf(sent, e).map((row) => ({ ...row, lineUserId: e.recipientId!, sentAt: sent.now }));
}

export const contactRecipients: Recipients = {
  kind: 'contact',

  async find(lookups, account, contactId) {
    const link = await lookups.linkOfContact(account, contactId);
    if (!link) return { ok: false, recipientId: null, outcome: { delivery: 'not_linked', error: `The contact is not linked to a LINE user of ${account.displayName}` } };
    if (link.followStatus === 'blocked') return { ok: false, recipientId: link.lineUserId, outcome: blockedOutcome(account.displayName) };
    return { ok: true, recipientId: link.lineUserId };
  },

  async unreachable(ctx, account, executions) {
    const links = await loadLinks(ctx, account, executions.map((e) => e.recipientId!));
    const blocked = executions.filter((e) => links.get(e.recipientId!)?.followStatus === 'blocked');
    return blocked.length ? [{ executions: blocked, outcome: blockedOutcome(account.displayName) }] : [];
  },

  async logSent(trx, ctx, sent) {
    const ids = await insertOutboundMessages(ctx, sent.executions.flatMap((e) => sentMessagesOf(sent, e)), trx);
    await ctx.queue.enqueueMany(
      ids.map((messageId) => jobOf(outboundSentJob, { messageId }, { dedupeKey: `${outboundSentJob.type}:${messageId}`, portalId: sent.account.portalId, lineAccountId: sent.account.id })),
      trx,
    );
  },
};

function blockedOutcome(accountName: string) {
  return { delivery: 'blocked' as const, error: `The LINE user has blocked ${accountName}` };
}
