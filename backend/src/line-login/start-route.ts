// GET /line/login/:loginKey[?next=]: starts LINE Login v2.1 for the account. A fresh state (bound to
// this browser by a cookie), nonce and PKCE pair are stored, then the browser goes to LINE's
// authorize page; email is asked for when the account links by email.
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { authorizeUrl } from '../line/login-api.ts';
import { setBrowserKey } from './browser-key.ts';
import { loginAccountOf } from './login-account.ts';
import { loginPages } from './login-pages.ts';
import { issueLoginState } from './login-states.ts';
import { nextOf } from './next-url.ts';
import { sendLoginPage } from './respond.ts';

export function startRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/line/login/:loginKey', async (req, res) => {
    const login = await loginAccountOf(ctx, req, res);
    if (!login) return;
    const { account, urls } = login;
    const nextUrl = nextOf(ctx.config.PUBLIC_BASE_URL, account, req.query.next);
    if (req.query.next !== undefined && nextUrl === null) {
      req.log.info({ lineAccountId: account.id }, 'LINE Login refused a next URL that is neither the after-login URL nor ours');
      return sendLoginPage(req, res, loginPages.badNext(urls.loginUrl));
    }
    const issued = await issueLoginState(ctx, account, nextUrl);
    setBrowserKey(res, login.loginKey, issued.browserKey);
    res.set('cache-control', 'no-store');
    res.redirect(
      302,
      authorizeUrl(ctx.config, {
        channelId: login.channel.channelId,
        redirectUri: urls.callbackUrl,
        state: issued.state,
        nonce: issued.nonce,
        codeChallenge: issued.codeChallenge,
        withEmail: account.loginRequireEmail,
      }),
    );
  });
  return router;
}
