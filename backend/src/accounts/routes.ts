// /api/accounts: the settings page's API for connecting and managing LINE Official Accounts.
// Reached only through hubspot.fetch: every request is signed by HubSpot and scoped to the caller's portal;
// an account of another portal does not exist as far as these routes can tell (404). Every user of the
// portal may read; changes need an admin of the app (hubspot/app-admin.ts). What waits on LINE (connecting,
// new credentials, the webhook test, the health check) answers 202 with an operation at once, and the page
// polls GET /api/accounts/operations/:operationId: a hubspot.fetch gives up after 15 s.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { notFound, parseOr400 } from '../http/errors.ts';
import { requireAppAdmin } from '../hubspot/app-admin.ts';
import { callerOf, hubspotFetchAuth } from '../hubspot/signed-requests.ts';
import { accountsWithHealth } from './account-list.ts';
import { retryAccountDeadJobs } from './account-jobs.ts';
import { startConnect, startCredentialsUpdate, startWebhookTest } from './account-operations.ts';
import { accountView } from './account-view.ts';
import { lastKnownHealth, startHealthCheck } from './health-check.ts';
import { operationView } from './operation-view.ts';
import { findOperation, type AccountOperation } from './operations.ts';
import { deleteAccount, findAccount } from './repository.ts';
import { accountIdParam, addAccountBody, loginSettingsBody, operationIdParam, updateAccountBody } from './request-schemas.ts';
import { untracked } from './run-operation.ts';
import { clearLoginSettings, editAccount, rotatesCredentials, saveLoginSettings } from './update-account.ts';

const accepted = (res: Response, operation: AccountOperation) => res.status(202).json({ operation: operationView(operation) });

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
    accepted(res, await startConnect(ctx, portalOf(req), body));
  });

  router.post('/api/accounts/health-checks', admin, async (req, res) => {
    accepted(res, await startHealthCheck(ctx, portalOf(req)));
  });

  router.get('/api/accounts/operations/:operationId', admin, async (req, res) => {
    const id = parseOr400(operationIdParam, req.params.operationId, 'Operation id');
    const operation = await findOperation(ctx, portalOf(req), id);
    if (!operation) throw notFound('No such operation in this HubSpot account');
    res.json({ operation: operationView(operation) });
  });

  router.get('/api/accounts/:id', async (req, res) => {
    const [account] = await accountsWithHealth(ctx, portalOf(req), [await accountOf(req)]);
    res.json({ account });
  });

  router.patch('/api/accounts/:id', admin, async (req, res) => {
    const id = idOf(req);
    const body = parseOr400(updateAccountBody, req.body);
    if (rotatesCredentials(body)) return accepted(res, await startCredentialsUpdate(ctx, await accountOf(req), body));
    const account = await editAccount(ctx, portalOf(req), id, body, untracked);
    res.json({ account: accountView(ctx.config, account) });
  });

  router.delete('/api/accounts/:id', admin, async (req, res) => {
    const account = await accountOf(req);
    const removed = await deleteAccount(ctx, account.portalId, account.id);
    if (!removed) throw notFound('No such LINE account in this HubSpot account');
    req.log.info({ portalId: account.portalId, lineAccountId: account.id, jobs: removed.jobs }, 'LINE account removed');
    res.json({ removed: { id: account.id, displayName: account.displayName, jobs: removed.jobs } });
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
    accepted(res, await startWebhookTest(ctx, await accountOf(req)));
  });

  router.post('/api/accounts/:id/retry-failed', admin, async (req, res) => {
    const account = await accountOf(req);
    const known = (await lastKnownHealth(ctx, account.portalId)).get(account.id);
    res.json({ retried: await retryAccountDeadJobs(ctx, account.portalId, account.id, known?.tokenValid ?? null) });
  });

  return router;
}
