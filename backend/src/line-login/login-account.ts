// The account behind a login key, for the public login routes: unknown keys and accounts without a
// LINE Login channel are answered with a page, and the login URLs are worked out once.
import type { Request, Response } from 'express';
import type { AppContext } from '../context.ts';
import { isAccountKey } from '../accounts/account-keys.ts';
import { loginUrls, type LoginUrls } from '../accounts/account-urls.ts';
import { findAccountByLoginKey, type LineAccount } from '../accounts/repository.ts';
import { loginPages } from './login-pages.ts';
import { sendLoginPage } from './respond.ts';

export interface LoginAccount {
  account: LineAccount;
  loginKey: string;
  urls: LoginUrls;
  channel: { channelId: string; channelSecret: string };
}

/** The account with a configured Login channel, or undefined once a page has answered. */
export async function loginAccountOf(ctx: AppContext, req: Request, res: Response): Promise<LoginAccount | undefined> {
  const loginKey = String(req.params.loginKey);
  const account = isAccountKey(loginKey) ? await findAccountByLoginKey(ctx, loginKey) : undefined;
  if (!account) {
    sendLoginPage(req, res, loginPages.notFound());
    return undefined;
  }
  if (!account.loginChannelId || !account.loginChannelSecret) {
    sendLoginPage(req, res, loginPages.notConfigured());
    return undefined;
  }
  return { account, loginKey, urls: loginUrls(ctx.config, loginKey), channel: { channelId: account.loginChannelId, channelSecret: account.loginChannelSecret } };
}
