// GET /line/login/:loginKey/liff: the LIFF app's endpoint page (liff-page.ts), with a fresh state bound
// to this browser. POST /line/login/:loginKey/liff: the form that page submits, carrying the LIFF ID
// token; the state is taken like the web login's, the token verified by LINE for the Login channel
// (LIFF ID tokens carry no nonce of ours), and the user linked the same way (finish-login.ts).
import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { sendHtmlPage } from '../http/html-page.ts';
import { InvalidIdTokenError, verifyIdToken } from '../line/login-api.ts';
import { LineApiError } from '../line/line-channel.ts';
import { browserKeyOf, clearBrowserKey, setBrowserKey } from './browser-key.ts';
import { finishLogin } from './finish-login.ts';
import { liffPagePolicy, renderLiffPage } from './liff-page.ts';
import { loginAccountOf } from './login-account.ts';
import { loginPages, statePages } from './login-pages.ts';
import { issueLoginState, takeLoginState } from './login-states.ts';
import { nextOf } from './next-url.ts';
import { preferredLang } from './page-layout.ts';
import { sendLoginPage } from './respond.ts';

const liffForm = z.object({ state: z.string().min(1).max(512), idToken: z.string().min(1).max(8192) });

export function liffRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/line/login/:loginKey/liff', async (req, res) => {
    const login = await loginAccountOf(ctx, req, res);
    if (!login) return;
    const { account, urls } = login;
    if (!account.liffId) return sendLoginPage(req, res, loginPages.notConfigured());
    const next = nextOf(ctx.config.PUBLIC_BASE_URL, account, req.query.next);
    if (req.query.next !== undefined && next === null) return sendLoginPage(req, res, loginPages.badNext(urls.loginUrl));
    const issued = await issueLoginState(ctx, account, next);
    setBrowserKey(res, login.loginKey, issued.browserKey);
    res.set('cache-control', 'no-store');
    const page = renderLiffPage(preferredLang(req), { liffId: account.liffId, state: issued.state, postUrl: urls.liffEndpointUrl, loginUrl: urls.loginUrl });
    sendHtmlPage(res, 200, page, liffPagePolicy(next ?? account.loginRedirectUrl));
  });

  router.post('/line/login/:loginKey/liff', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const login = await loginAccountOf(ctx, req, res);
    if (!login) return;
    const { account, urls } = login;
    const form = liffForm.safeParse(req.body);
    if (!form.success) return sendLoginPage(req, res, loginPages.badState(urls.loginUrl));
    const taken = await takeLoginState(ctx, account.id, form.data.state, browserKeyOf(req));
    if (!taken.ok) {
      req.log.warn({ lineAccountId: account.id, problem: taken.problem }, 'LIFF login refused: state not valid for this browser');
      return sendLoginPage(req, res, statePages[taken.problem](urls.loginUrl));
    }
    clearBrowserKey(res, login.loginKey);
    let user;
    try {
      user = await verifyIdToken(ctx.config, login.channel.channelId, form.data.idToken);
    } catch (error) {
      if (error instanceof InvalidIdTokenError) {
        req.log.warn({ lineAccountId: account.id, reason: error.message }, 'LIFF login refused: the ID token is not valid');
        return sendLoginPage(req, res, loginPages.invalidToken(urls.loginUrl));
      }
      if (error instanceof LineApiError) {
        req.log.warn({ lineAccountId: account.id, err: error }, 'LINE did not answer during a LIFF login');
        return sendLoginPage(req, res, loginPages.unavailable(urls.loginUrl));
      }
      throw error;
    }
    // LIFF gives no access token the backend could trust for the friendship: the follow webhook records it.
    await finishLogin(ctx, req, res, login, taken.attempt, { ...user, friend: null });
  });

  return router;
}
