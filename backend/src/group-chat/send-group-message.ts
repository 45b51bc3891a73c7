// Sending to a company's LINE group from its chat panel, as the 1:1 chat sends (send-once.ts): the group's
// log behind it, its reply token first, then push to the group id; a send LINE took tells the groups
// feature the account answered. A push LINE refuses because the account is no longer in the group (its leave
// event lost or not processed yet) closes the chat: the group is recorded as left and the panel told so.
import type { AppContext } from '../context.ts';
import type { SendInput } from '../chat/inputs.ts';
import { replyTokenMarginMs } from '../chat/reply-tokens.ts';
import { retryOnce, sendOnce, type OutboundChat } from '../chat/send-once.ts';
import {
  claimGroupMessageForRetry,
  findGroupMessage,
  findGroupMessageByClientId,
  insertGroupChatMessage,
  markGroupMessageFailed,
  markGroupMessageSent,
  setGroupMessageRetryKey,
  type GroupMessageRow,
} from '../groups/group-messages.ts';
import { groupLeftFoundBySend, recordGroupMessageSent } from '../groups/group-outbound.ts';
import { takeGroupReplyToken } from '../groups/groups.ts';
import type { HubSpotCaller } from '../hubspot/signed-requests.ts';
import { assertInGroup, groupLeft, type GroupChat } from './group-chat.ts';
import { accountLeftGroup } from '../groups/group-membership.ts';

const NOT_IN_GROUP = 'The LINE account is no longer in this group';

function outboundChat(ctx: AppContext, chat: GroupChat): OutboundChat<GroupMessageRow> {
  const { account, group, key } = chat;
  const portalId = key.portalId;
  return {
    log: 'group-chat',
    account,
    to: key.groupId,
    assertOpen: () => assertInGroup(chat),
    findByClientMessageId: (clientMessageId) => findGroupMessageByClientId(ctx, portalId, clientMessageId),
    findById: (id) => findGroupMessage(ctx, portalId, id),
    holds: (row) => Number(row.line_account_id) === key.accountId && row.group_id === key.groupId,
    insertSending: (m) => insertGroupChatMessage(ctx, { ...key, ...m }),
    setRetryKey: (id, retryKey) => setGroupMessageRetryKey(ctx, portalId, id, retryKey),
    claimForRetry: (id, staleBefore, now) => claimGroupMessageForRetry(ctx, portalId, id, staleBefore, now),
    takeReplyToken: () => takeGroupReplyToken(ctx, key, replyTokenMarginMs(ctx.config.timings.line)),
    recordSent: async (id, sent) => {
      await markGroupMessageSent(ctx, portalId, id, sent);
      await recordGroupMessageSent(ctx, group, id, sent.at);
    },
    recordFailed: async (id, failure, at) => {
      const left = failure.status === 400 && (await accountLeftGroup(ctx, account, key.groupId));
      await markGroupMessageFailed(ctx, portalId, id, left ? NOT_IN_GROUP : failure.reason, at);
      if (!left) return;
      await groupLeftFoundBySend(ctx, group, at);
      throw groupLeft();
    },
  };
}

export function sendGroupMessage(ctx: AppContext, chat: GroupChat, input: SendInput, caller: HubSpotCaller): Promise<{ row: GroupMessageRow; repeated: boolean }> {
  return sendOnce(ctx, outboundChat(ctx, chat), input, caller);
}

export function retryGroupMessage(ctx: AppContext, chat: GroupChat, messageId: number): Promise<GroupMessageRow> {
  return retryOnce(ctx, outboundChat(ctx, chat), messageId);
}
