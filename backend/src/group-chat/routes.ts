// The company card's API under /api/companies/:companyId, reached only by hubspot.fetch (signed; the portal
// and user are the identity HubSpot appends). Any user of any installed portal can call it with any ids:
// every lookup is scoped by the caller's portal, an account of another portal is 404, and a company reaches
// only the group linked to it (another company's group is 409 group_linked_elsewhere, never its history).
import { Router, type Request } from 'express';
import type { AppContext } from '../context.ts';
import { historyQuery, accountBody, sendBody } from '../chat/inputs.ts';
import { heldPollsOf } from '../chat/held-polls.ts';
import { lookUntilChanged } from '../chat/wait-for-updates.ts';
import { groupHistoryPage, groupMessagesAfter } from '../groups/group-messages.ts';
import { groupLinked, groupUnlinked } from '../groups/group-outbound.ts';
import { findGroup, linkGroup, unlinkGroup, type LinkOutcome } from '../groups/groups.ts';
import { HttpError, notFound, parseOr400 } from '../http/errors.ts';
import { callerOf, hubspotFetchAuth } from '../hubspot/signed-requests.ts';
import { openGroupChat, requireAccount } from './group-chat.ts';
import { groupMessageViews, type GroupHistoryPage, type GroupUpdatesAnswer } from './group-message-view.ts';
import { companyStatus, groupAccountStatus, type CompanyLineStatus } from './group-status.ts';
import { companyAccountParams, companyParams, groupLinkBody, groupRetryParams, groupUpdatesQuery } from './inputs.ts';
import { retryGroupMessage, sendGroupMessage } from './send-group-message.ts';

const LINK_REFUSALS: Record<Exclude<LinkOutcome, 'linked'>, () => HttpError> = {
  group_already_linked: () => new HttpError(409, 'group_linked_elsewhere', 'This LINE group is already linked to another company'),
  company_already_linked: () => new HttpError(409, 'company_already_linked', 'This company is already linked to another LINE group of this LINE account'),
  no_such_group: () => notFound('The LINE account is in no such group'),
};

export function groupChatRoutes(ctx: AppContext): Router {
  const router = Router();
  const auth = hubspotFetchAuth(ctx);
  const held = heldPollsOf(ctx);
  const chatOf = (req: Request, accountId: number) => openGroupChat(ctx, callerOf(req).portalId, accountId, parseOr400(companyParams, req.params, 'Path').companyId);

  router.get('/api/companies/:companyId/line', ...auth, async (req, res) => {
    const { companyId } = parseOr400(companyParams, req.params, 'Path');
    res.json({ companyId, accounts: await companyStatus(ctx, callerOf(req).portalId, companyId) } satisfies CompanyLineStatus);
  });

  router.post('/api/companies/:companyId/line/:accountId/link', ...auth, async (req, res) => {
    const { companyId, accountId } = parseOr400(companyAccountParams, req.params, 'Path');
    const { groupId } = parseOr400(groupLinkBody, req.body, 'Request body');
    const account = await requireAccount(ctx, callerOf(req).portalId, accountId);
    const outcome = await linkGroup(ctx, { portalId: account.portalId, accountId: account.id, groupId }, companyId, 'card');
    if (outcome !== 'linked') throw LINK_REFUSALS[outcome]();
    // The groups feature makes the members who wrote contacts of the company and writes its properties.
    await groupLinked(ctx, (await findGroup(ctx, { portalId: account.portalId, accountId: account.id, groupId }))!);
    req.log.info({ accountId, companyId }, 'LINE group linked to a company from the card');
    res.status(201).json(await groupAccountStatus(ctx, account, companyId));
  });

  router.post('/api/companies/:companyId/line/:accountId/unlink', ...auth, async (req, res) => {
    const { companyId, accountId } = parseOr400(companyAccountParams, req.params, 'Path');
    const chat = await openGroupChat(ctx, callerOf(req).portalId, accountId, companyId);
    // The groups feature empties the company's LINE group properties once the link is gone.
    if (await unlinkGroup(ctx, chat.key, companyId)) await groupUnlinked(ctx, chat.group, companyId);
    req.log.info({ accountId, companyId }, 'LINE group unlinked from a company from the card');
    res.json(await groupAccountStatus(ctx, chat.account, companyId));
  });

  router.get('/api/companies/:companyId/messages', ...auth, async (req, res) => {
    const query = parseOr400(historyQuery, req.query, 'Query');
    const chat = await chatOf(req, query.accountId);
    const since = Date.now();
    const page = await groupHistoryPage(ctx, chat.key, query);
    const [newest] = (await groupHistoryPage(ctx, chat.key, { limit: 1 })).rows;
    res.json({
      messages: await groupMessageViews(ctx, chat.group, page.rows),
      hasMore: page.hasMore,
      cursor: { before: page.rows.length ? Number(page.rows[0].id) : null, after: newest ? Number(newest.id) : 0, since },
    } satisfies GroupHistoryPage);
  });

  router.get('/api/companies/:companyId/messages/updates', ...auth, async (req, res) => {
    // Counted with the 1:1 panels' until answered: together they decide how long unheld panels wait.
    res.on('close', held.arrive(callerOf(req).portalId));
    const query = parseOr400(groupUpdatesQuery, req.query, 'Query');
    const chat = await chatOf(req, query.accountId);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const look = async () => {
      const checkedAt = Date.now();
      const rows = await groupMessagesAfter(ctx, chat.key, query.after, query.since);
      return { rows, checkedAt, changed: rows.length > 0 };
    };
    const { found, nextPollMs } = await lookUntilChanged(ctx, held, chat.key.portalId, look, { waitMs: query.waitMs, signal: gone.signal });
    res.json({
      messages: await groupMessageViews(ctx, chat.group, found.rows),
      cursor: { after: found.rows.reduce((max, r) => Math.max(max, Number(r.id)), query.after), since: found.checkedAt },
      nextPollMs,
    } satisfies GroupUpdatesAnswer);
  });

  router.post('/api/companies/:companyId/messages', ...auth, async (req, res) => {
    const input = parseOr400(sendBody, req.body, 'Request body');
    const chat = await chatOf(req, input.accountId);
    const { row, repeated } = await sendGroupMessage(ctx, chat, input, callerOf(req));
    res.status(repeated ? 200 : 201).json({ message: (await groupMessageViews(ctx, chat.group, [row]))[0] });
  });

  router.post('/api/companies/:companyId/messages/:messageId/retry', ...auth, async (req, res) => {
    const { messageId } = parseOr400(groupRetryParams, req.params, 'Path');
    const { accountId } = parseOr400(accountBody, req.body, 'Request body');
    const chat = await chatOf(req, accountId);
    const row = await retryGroupMessage(ctx, chat, messageId);
    res.json({ message: (await groupMessageViews(ctx, chat.group, [row]))[0] });
  });

  return router;
}
