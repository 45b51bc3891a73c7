// /api/accounts: the settings page's API for connecting and managing LINE Official Accounts.
// Reached only through hubspot.fetch: every request is signed by HubSpot and scoped to the caller's portal;
// an account of another portal does not exist as far as these routes can tell (404). Every user of the
// portal may read; changes need an admin of the app (hubspot/app-admin.ts).
import { Router, type Request } from 'express';
import type { AppContext } from '../context.ts';
import { notFound, parseOr400 } from '../http/errors.ts';
import { requireAppAdmin } from '../hubspot/app-admin.ts';
import { callerOf, hubspotFetchAuth } from '../hubspot/signed-requests.ts';
import { accountsWithHealth } from './account-list.ts';
import { retryAccountDeadJobs } from './account-jobs.ts';
import { accountView } from './account-view.ts';
import { connectAccount, retestWebhook } from './connect-account.ts';
import { deleteAccount, findAccount } from './repository.ts';
import { accountIdParam, addAccountBody, loginSettingsBody, updateAccountBody } from './request-schemas.ts';
import { clearLoginSettings, editAccount, saveLoginSettings } from './update-account.ts';

export function accountRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/api/accounts', ...hubspotFetchAuth(ctx));
  const admin = requireAppAdmin(ctx);

  const portalOf = (req: Request) => callerOf(req).portalId;
  const idOf = (req: Request) => parseOr400(accountIdParam, req.params.id, 'Account id');
  async function accountOf(req: Request) {
    const account = await findAccount(ctx, portalOf(req), idOf(req));
    if (!account) throw notFound('No such LINE account in this HubSpot account');
    return account;
  }

  router.get('/api/accounts', async (req, res) => {
    res.json({ accounts: await accountsWithHealth(ctx, portalOf(req)) });
  });

  router.post('/api/accounts', admin, async (req, res) => {
    const body = parseOr400(addAccountBody, req.body);
    const account = await connectAccount(ctx, portalOf(req), body);
    req.log.info({ portalId: account.portalId, lineAccountId: account.id, sequence: account.sequence }, 'LINE account connected');
    res.status(201).json({ account: accountView(ctx.config, account) });
  });

  router.get('/api/accounts/:id', async (req, res) => {
    const [account] = await accountsWithHealth(ctx, portalOf(req), [await accountOf(req)]);
    res.json({ account });
  });

  router.patch('/api/accounts/:id', admin, async (req, res) => {
    const id = idOf(req);
    const body = parseOr400(updateAccountBody, req.body);
    const account = await editAccount(ctx, portalOf(req), id, body);
    res.json({ account: accountView(ctx.config, account) });
  });

  router.delete('/api/accounts/:id', admin, async (req, res) => {
    const id = idOf(req);
    if (!(await deleteAccount(ctx, portalOf(req), id))) throw notFound('No such LINE account in this HubSpot account');
    req.log.info({ portalId: portalOf(req), lineAccountId: id }, 'LINE account removed');
    res.json({ removed: { id } });
  });

  router.put('/api/accounts/:id/login', admin, async (req, res) => {
    const id = idOf(req);
    const body = parseOr400(loginSettingsBody, req.body);
    const saved = await saveLoginSettings(ctx, portalOf(req), id, body);
    res.json({ account: accountView(ctx.config, saved.account), loginCheck: saved.check });
  });

  router.delete('/api/accounts/:id/login', admin, async (req, res) => {
    res.json({ account: accountView(ctx.config, await clearLoginSettings(ctx, portalOf(req), idOf(req))) });
  });

  router.post('/api/accounts/:id/webhook-test', admin, async (req, res) => {
    res.json({ account: accountView(ctx.config, await retestWebhook(ctx, await accountOf(req))) });
  });

  router.post('/api/accounts/:id/retry-failed', admin, async (req, res) => {
    const account = await accountOf(req);
    res.json({ retried: await retryAccountDeadJobs(ctx, account.portalId, account.id) });
  });

  return router;
}
