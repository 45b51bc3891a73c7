// The chat panel's API: history pages, the long-poll for updates, sending, retrying, read marks, typing.
import { Router, type Request } from 'express';
import type { AppContext } from '../context.ts';
import { parseOr400 } from '../http/errors.ts';
import { callerOf, hubspotFetchAuth } from '../hubspot/signed-requests.ts';
import { currentFollowStatus, openConversation, type Conversation } from './conversation.ts';
import { accountBody, contactParams, historyQuery, retryParams, sendBody, updatesQuery } from './inputs.ts';
import { markConversationRead } from './mark-read.ts';
import { historyPage, latestMessageId, type ConversationKey, type MessageRow } from '../conversation/messages.ts';
import { messageView, type HistoryPage, type UpdatesAnswer } from './message-view.ts';
import { mediaLinkerFor } from './media-links.ts';
import { learnNames, senderNamesFor } from './sender-names.ts';
import { retryChatMessage, sendChatMessage } from './send-message.ts';
import { showTyping } from './typing.ts';
import { heldPollsOf } from './held-polls.ts';
import { waitForUpdates } from './wait-for-updates.ts';

const keyOf = ({ account, link }: Conversation): ConversationKey => ({ portalId: account.portalId, accountId: account.id, lineUserId: link.lineUserId });

export function messageRoutes(ctx: AppContext): Router {
  const router = Router();
  const auth = hubspotFetchAuth(ctx);
  const held = heldPollsOf(ctx);
  const views = async ({ account, link }: Conversation, rows: MessageRow[]) => {
    const [media, names] = await Promise.all([mediaLinkerFor(ctx, account.portalId, rows), senderNamesFor(ctx, account.portalId, link.displayName, rows)]);
    const now = Date.now();
    return rows.map((r) => messageView(r, media, now, names));
  };
  const conversationOf = async (req: Request, accountId: number) => {
    const { contactId } = parseOr400(contactParams, req.params, 'Path');
    return openConversation(ctx, callerOf(req).portalId, accountId, contactId);
  };

  router.get('/api/contacts/:contactId/messages', ...auth, async (req, res) => {
    const query = parseOr400(historyQuery, req.query, 'Query');
    const conversation = await conversationOf(req, query.accountId);
    const since = Date.now();
    const page = await historyPage(ctx, keyOf(conversation), query);
    const after = await latestMessageId(ctx, keyOf(conversation));
    res.json({
      messages: await views(conversation, page.rows),
      hasMore: page.hasMore,
      cursor: { before: page.rows.length ? Number(page.rows[0].id) : null, after, since },
    } satisfies HistoryPage);
  });

  router.get('/api/contacts/:contactId/messages/updates', ...auth, async (req, res) => {
    // Counted until answered: how many are in progress decides how long the unheld panels wait (held-polls.ts).
    res.on('close', held.arrive(callerOf(req).portalId));
    const query = parseOr400(updatesQuery, req.query, 'Query');
    const conversation = await conversationOf(req, query.accountId);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const { followStatus: shown, ...wait } = query;
    const friendship = { shown, opened: conversation.link.followStatus, read: () => currentFollowStatus(ctx, conversation) };
    const updates = await waitForUpdates(ctx, held, keyOf(conversation), friendship, { ...wait, signal: gone.signal });
    const after = updates.rows.reduce((max, r) => Math.max(max, Number(r.id)), query.after);
    res.json({
      messages: await views(conversation, updates.rows),
      cursor: { after, since: updates.checkedAt },
      nextPollMs: updates.nextPollMs,
      followStatus: updates.followStatus,
    } satisfies UpdatesAnswer);
  });

  router.post('/api/contacts/:contactId/messages', ...auth, async (req, res) => {
    const input = parseOr400(sendBody, req.body, 'Request body');
    const conversation = await conversationOf(req, input.accountId);
    const caller = callerOf(req);
    // The rep's name is looked up while LINE is called, so the answer names them without waiting after the send.
    const naming = learnNames(ctx, caller.portalId, [caller.userId]);
    const { row, repeated } = await sendChatMessage(ctx, conversation, input, caller);
    await naming;
    res.status(repeated ? 200 : 201).json({ message: (await views(conversation, [row]))[0] });
  });

  router.post('/api/contacts/:contactId/messages/read', ...auth, async (req, res) => {
    const { accountId } = parseOr400(accountBody, req.body, 'Request body');
    res.json(await markConversationRead(ctx, await conversationOf(req, accountId)));
  });

  router.post('/api/contacts/:contactId/messages/:messageId/retry', ...auth, async (req, res) => {
    const { messageId } = parseOr400(retryParams, req.params, 'Path');
    const { accountId } = parseOr400(accountBody, req.body, 'Request body');
    const conversation = await conversationOf(req, accountId);
    const row = await retryChatMessage(ctx, conversation, messageId);
    res.json({ message: (await views(conversation, [row]))[0] });
  });

  router.post('/api/contacts/:contactId/typing', ...auth, async (req, res) => {
    const { accountId } = parseOr400(accountBody, req.body, 'Request body');
    res.json(await showTyping(ctx, await conversationOf(req, accountId)));
  });

  return router;
}
