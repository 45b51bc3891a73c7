// Company workflows: the messages go to the LINE group linked to the enrolled company (pushed to the
// group id). A company without a group of the step's account, or whose group the account has left, is
// `not_linked`, also when that happens between the execution's arrival and its send, or is found out by the
// send itself (LINE refuses it and the group's summary is gone); a send is logged in
// the group's conversation (the company card's chat panel).
import type { LineAccount } from '../accounts/repository.ts';
import { insertOutboundGroupMessages, type NewOutboundGroupMessage } from '../groups/group-messages.ts';
import { accountLeftGroup } from '../groups/group-membership.ts';
import { groupLeftFoundBySend, recordGroupMessageSent } from '../groups/group-outbound.ts';
import { findGroup, type GroupRecord } from '../groups/groups.ts';
import type { Execution } from './executions.ts';
import type { Outcome } from './outputs.ts';
import type { Recipients, SentLog } from './recipients.ts';
import { sentRowsOf } from './sent-messages.ts';

function notLinked(account: LineAccount, group: GroupRecord | undefined): Outcome {
  const error = group?.leftAt ? `${account.displayName} is no longer in the company's LINE group` : `The company is not linked to a LINE group of ${account.displayName}`;
  return { delivery: 'not_linked', error };
}

function sentMessagesOf(sent: SentLog, e: Execution): NewOutboundGroupMessage[] {
  return sentRowsOf(sent, e).map((row) => ({ ...row, groupId: e.recipientId! }));
}

export const groupRecipients: Recipients = {
  kind: 'company',

  async find(lookups, account, companyId) {
    const group = await lookups.groupOfCompany(account, companyId);
    if (!group || group.leftAt) return { ok: false, recipientId: group?.groupId ?? null, outcome: notLinked(account, group) };
    return { ok: true, recipientId: group.groupId };
  },

  async unreachable(ctx, account, executions) {
    const ended = [];
    for (const e of executions) {
      const group = await findGroup(ctx, { portalId: account.portalId, accountId: account.id, groupId: e.recipientId! });
      // Unlinked from the company, or linked to another one since: the company has no group to send to.
      if (!group || group.leftAt || group.companyId !== e.objectId) ended.push({ executions: [e], outcome: notLinked(account, group?.companyId === e.objectId ? group : undefined) });
    }
    return ended;
  },

  // LINE's leave event may be lost or late: a push LINE refuses is checked against the group's summary, and a
  // group the account was removed from is recorded as left, as the leave event would have, and ends not_linked.
  async goneWhenRefused(ctx, account, executions) {
    const groupId = executions[0].recipientId!;
    if (!(await accountLeftGroup(ctx, account, groupId))) return undefined;
    const group = await findGroup(ctx, { portalId: account.portalId, accountId: account.id, groupId });
    const at = Date.now();
    if (group && !group.leftAt) await groupLeftFoundBySend(ctx, group, at);
    return notLinked(account, group ? { ...group, leftAt: group.leftAt ?? at } : undefined);
  },

  async logSent(trx, ctx, sent) {
    const messages = sent.executions.flatMap((e) => sentMessagesOf(sent, e));
    const ids = await insertOutboundGroupMessages(ctx, messages, trx);
    // The groups feature then clears the unanswered flag, completes the owner's task and writes the timeline.
    return async () => {
      for (const [i, id] of ids.entries()) {
        const group = await findGroup(ctx, messages[i]);
        if (group) await recordGroupMessageSent(ctx, group, id, sent.now);
      }
    };
  },
};
