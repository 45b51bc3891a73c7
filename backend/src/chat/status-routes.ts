// GET /api/contacts/:contactId/line: the LINE card's data, one entry per connected LINE account.
// POST /api/contacts/:contactId/line/:accountId/link { lineUserId }: link the contact to a known LINE user.
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { findAccount } from '../accounts/repository.ts';
import { notFound, parseOr400 } from '../http/errors.ts';
import { callerOf, hubspotFetchAuth } from '../hubspot/signed-requests.ts';
import { CardRefreshPacing } from './card-refresh-pacing.ts';
import { accountStatus, contactStatus, type ContactLineStatus } from './contact-status.ts';
import { contactParams, linkBody, linkParams } from './inputs.ts';
import { linkContact } from './link-contact.ts';

export function statusRoutes(ctx: AppContext): Router {
  const router = Router();
  const auth = hubspotFetchAuth(ctx);
  const { cardRefreshMs, cardLinkWatchMs, cardRefreshesPerPortalPerSecond } = ctx.config.timings.chat;
  const pacing = new CardRefreshPacing({ baseMs: cardRefreshMs, linkWatchMs: cardLinkWatchMs, perPortalPerSecond: cardRefreshesPerPortalPerSecond });

  router.get('/api/contacts/:contactId/line', ...auth, async (req, res) => {
    const { contactId } = parseOr400(contactParams, req.params, 'Path');
    const { portalId, userId } = callerOf(req);
    const accounts = await contactStatus(ctx, portalId, contactId);
    const watchingForLink = accounts.some((a) => a.link === null);
    const nextPollMs = pacing.nextPollMs(portalId, `${userId ?? '-'}:${contactId}`, watchingForLink, Date.now());
    res.json({ contactId, accounts, nextPollMs } satisfies ContactLineStatus);
  });

  router.post('/api/contacts/:contactId/line/:accountId/link', ...auth, async (req, res) => {
    const { contactId, accountId } = parseOr400(linkParams, req.params, 'Path');
    const { lineUserId } = parseOr400(linkBody, req.body, 'Request body');
    const account = await findAccount(ctx, callerOf(req).portalId, accountId);
    if (!account) throw notFound('No such LINE account in this HubSpot portal');
    const { created } = await linkContact(ctx, account, contactId, lineUserId);
    if (created) req.log.info({ accountId, contactId }, 'contact linked to a LINE user by hand');
    res.status(created ? 201 : 200).json(await accountStatus(ctx, account, contactId));
  });

  return router;
}
