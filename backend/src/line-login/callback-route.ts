// GET /line/login/:loginKey/callback: where LINE sends the browser back. The state must be one this
// browser was given for this account and not used yet; then LINE's answer is read (cancelled, an error,
// or a code), the code exchanged with the PKCE verifier, the ID token verified with the login's nonce,
// the friendship with the account read, and the user linked (finish-login.ts).
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { exchangeLoginCode, friendshipStatus, InvalidIdTokenError, verifyIdToken, type VerifiedLineUser } from '../line/login-api.ts';
import { LineApiError } from '../line/line-channel.ts';
import { browserKeyOf, clearBrowserKey } from './browser-key.ts';
import { finishLogin } from './finish-login.ts';
import { loginAccountOf } from './login-account.ts';
import { loginPages, statePages } from './login-pages.ts';
import { takeLoginState } from './login-states.ts';
import { sendLoginPage } from './respond.ts';

const callbackQuery = z.object({
  code: z.string().min(1).max(512).optional(),
  state: z.string().min(1).max(512).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});

async function friendOrNull(ctx: AppContext, req: Request, accessToken: string): Promise<boolean | null> {
  try {
    return await friendshipStatus(ctx.config, accessToken);
  } catch (error) {
    // The link does not depend on it: the follow webhook records the friendship too.
    req.log.warn({ err: error }, 'LINE friendship status could not be read during LINE Login');
    return null;
  }
}

export function callbackRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/line/login/:loginKey/callback', async (req, res) => {
    const login = await loginAccountOf(ctx, req, res);
    if (!login) return;
    const { account, urls } = login;
    const query = callbackQuery.safeParse(req.query);
    if (!query.success || !query.data.state) return sendLoginPage(req, res, loginPages.badState(urls.loginUrl));
    const q = query.data;
    const taken = await takeLoginState(ctx, account.id, q.state!, browserKeyOf(req));
    if (!taken.ok) {
      req.log.warn({ lineAccountId: account.id, problem: taken.problem }, 'LINE Login callback refused: state not valid for this browser');
      return sendLoginPage(req, res, statePages[taken.problem](urls.loginUrl));
    }
    clearBrowserKey(res, login.loginKey);
    if (q.error) {
      req.log.info({ lineAccountId: account.id, error: q.error, description: q.error_description }, 'LINE Login ended with an error from LINE');
      return sendLoginPage(req, res, q.error === 'access_denied' ? loginPages.cancelled(urls.loginUrl) : loginPages.lineError(urls.loginUrl));
    }
    if (!q.code) return sendLoginPage(req, res, loginPages.lineError(urls.loginUrl));

    let user: VerifiedLineUser;
    let accessToken: string;
    try {
      const tokens = await exchangeLoginCode(ctx.config, login.channel, { code: q.code, redirectUri: urls.callbackUrl, codeVerifier: taken.attempt.codeVerifier });
      accessToken = tokens.accessToken;
      user = await verifyIdToken(ctx.config, login.channel.channelId, tokens.idToken, taken.attempt.nonce);
    } catch (error) {
      if (error instanceof InvalidIdTokenError) {
        req.log.warn({ lineAccountId: account.id, reason: error.message }, 'LINE Login refused: the ID token is not valid');
        return sendLoginPage(req, res, loginPages.invalidToken(urls.loginUrl));
      }
      if (error instanceof LineApiError && error.status >= 400 && error.status < 500) {
        // A code that is used, expired or not ours, or a Login channel secret that is wrong.
        req.log.warn({ lineAccountId: account.id, status: error.status, lineMessage: error.lineMessage }, 'LINE refused the LINE Login code exchange');
        return sendLoginPage(req, res, loginPages.lineError(urls.loginUrl));
      }
      if (error instanceof LineApiError) {
        req.log.warn({ lineAccountId: account.id, err: error }, 'LINE did not answer during LINE Login');
        return sendLoginPage(req, res, loginPages.unavailable(urls.loginUrl));
      }
      throw error;
    }
    const friend = await friendOrNull(ctx, req, accessToken);
    await finishLogin(ctx, req, res, login, taken.attempt, { ...user, friend });
  });
  return router;
}
