// What the LINE card shows for a contact, per connected LINE account of the portal: the linked LINE
// user (name, picture, follow status) or how to link one, whether they wait for an answer, and when
// the last message was exchanged.
import type { AppContext } from '../context.ts';
import { listAccounts, type LineAccount } from '../accounts/repository.ts';
import { loginUrls, sharedLoginUrl } from '../accounts/account-urls.ts';
import { loadConversations } from '../conversation/conversation-state.ts';
import { summarizeMessage } from '../conversation/message-summary.ts';
import { lastAnsweredAt, lastMessageAt as lastLoggedAt, undeliveredChatMessages, waitingSinceLastAnswer, type ConversationKey } from '../conversation/messages.ts';
import { findLink, type FollowStatus, type LineLink } from './conversation.ts';
import { parsePayload, STALE_SENDING_MS } from './message-view.ts';

export interface Unanswered {
  /** When the first message after the last answer arrived. */
  since: number;
  /** The latest waiting message as one line of text ("[Sticker]" and the like for other types). */
  text: string | null;
}

/** Replies sent from the chat panel that LINE did not take: each can be sent again (POST .../messages/:id/retry). */
export interface Undelivered {
  /** Oldest first, the order to retry them in; at most UNDELIVERED_SHOWN. */
  messageIds: number[];
  /** When the latest of them failed. */
  lastFailedAt: number;
}

/** More undelivered replies than this are a conversation to open, not a list for the card to retry. */
export const UNDELIVERED_SHOWN = 20;

export interface AccountStatus {
  account: { id: number; name: string; pictureUrl: string | null; basicId: string | null };
  link: {
    lineUserId: string;
    displayName: string | null;
    pictureUrl: string | null;
    followStatus: FollowStatus;
    friendAddedAt: number | null;
    linkedAt: number | null;
  } | null;
  /** How to link this contact: what to share (the LIFF URL when the account has one, else the login URL) and its QR code as PNG and SVG. */
  linking: { sharedUrl: string; qrCodeUrl: string; qrCodeSvgUrl: string };
  unanswered: Unanswered | null;
  lastMessageAt: number | null;
  undelivered: Undelivered | null;
}

/** GET /api/contacts/:contactId/line: the card's data, one entry per connected LINE account. */
export interface ContactLineStatus {
  contactId: number;
  accounts: AccountStatus[];
  /** When the open card should ask again (see card-refresh-pacing.ts). */
  nextPollMs: number;
}

// The unanswered state the conversation feature keeps; derived from the message log (an inbound message
// after the last answer) for conversations it has not recorded yet.
async function conversationSummary(ctx: AppContext, key: ConversationKey, linkId: number): Promise<{ unanswered: Unanswered | null; lastMessageAt: number | null }> {
  const lastMessageAt = await lastLoggedAt(ctx, key);
  if (lastMessageAt === null) return { unanswered: null, lastMessageAt: null };
  const [state] = (await loadConversations(ctx, key.portalId, [linkId])).values();
  if (state.lastInboundAt !== null || state.lastOutboundAt !== null) {
    // An answer clears the flag in a job (conversation.outbound-sent): the card asks right after a reply, so
    // an answer already in the log after the last inbound message settles it.
    const answered = state.unanswered && ((await lastAnsweredAt(ctx, key)) ?? -Infinity) >= (state.lastInboundAt ?? 0);
    const unanswered = state.unanswered && !answered
      ? { since: state.unansweredSince ?? state.lastInboundAt ?? lastMessageAt, text: state.unansweredMessage }
      : null;
    return { unanswered, lastMessageAt };
  }
  const waiting = await waitingSinceLastAnswer(ctx, key);
  const unanswered = waiting ? { since: waiting.firstAt, text: summarizeMessage(parsePayload(waiting.latestPayload)) } : null;
  return { unanswered, lastMessageAt };
}

async function undeliveredReplies(ctx: AppContext, key: ConversationKey): Promise<Undelivered | null> {
  const rows = await undeliveredChatMessages(ctx, key, Date.now() - STALE_SENDING_MS, UNDELIVERED_SHOWN);
  if (rows.length === 0) return null;
  return { messageIds: rows.map((r) => r.id), lastFailedAt: Math.max(...rows.map((r) => r.updatedAt)) };
}

function linkView(link: LineLink): AccountStatus['link'] {
  const { lineUserId, displayName, pictureUrl, followStatus, friendAddedAt, linkedAt } = link;
  return { lineUserId, displayName, pictureUrl, followStatus, friendAddedAt, linkedAt };
}

export async function accountStatus(ctx: AppContext, account: LineAccount, contactId: number): Promise<AccountStatus> {
  const link = await findLink(ctx, account.portalId, account.id, contactId);
  const { qrCodeUrl, qrCodeSvgUrl } = loginUrls(ctx.config, account.loginKey);
  const summary = link
    ? await conversationSummary(ctx, { portalId: account.portalId, accountId: account.id, lineUserId: link.lineUserId }, link.id)
    : { unanswered: null, lastMessageAt: null };
  return {
    account: { id: account.id, name: account.displayName, pictureUrl: account.pictureUrl, basicId: account.basicId },
    link: link ? linkView(link) : null,
    linking: { sharedUrl: sharedLoginUrl(ctx.config, account), qrCodeUrl, qrCodeSvgUrl },
    ...summary,
    undelivered: link ? await undeliveredReplies(ctx, { portalId: account.portalId, accountId: account.id, lineUserId: link.lineUserId }) : null,
  };
}

export async function contactStatus(ctx: AppContext, portalId: number, contactId: number): Promise<AccountStatus[]> {
  const accounts = await listAccounts(ctx, portalId);
  return Promise.all(accounts.map((account) => accountStatus(ctx, account, contactId)));
}
