// The end of every login, web or LIFF: the verified LINE user goes to the link job (link-job.ts), the
// browser waits for its outcome, then goes to the after-login URL (the login's `next`, else the
// account's) or reads a page saying what happened. A link still running when the wait ends is
// finished by the job; the page says so.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, Response } from 'express';
import type { AppContext } from '../context.ts';
import type { LoginLinkOutcome, LoggedInUser } from './link-login-user.ts';
import { enqueueLoginLink } from './link-job.ts';
import type { LoginAccount } from './login-account.ts';
import { loginPages } from './login-pages.ts';
import { loginOutcomeOf, type LoginAttempt } from './login-states.ts';
import { sendLoginPage } from './respond.ts';

const OUTCOME_POLL_MS = 100;

async function waitForOutcome(ctx: AppContext, stateHash: string): Promise<LoginLinkOutcome | undefined> {
  const deadline = Date.now() + ctx.config.timings.contacts.loginLinkWaitMs;
  for (;;) {
    const outcome = (await loginOutcomeOf(ctx, stateHash)) as LoginLinkOutcome | undefined;
    if (outcome || Date.now() >= deadline) return outcome;
    await sleep(OUTCOME_POLL_MS);
  }
}

export async function finishLogin(ctx: AppContext, req: Request, res: Response, login: LoginAccount, attempt: LoginAttempt, user: LoggedInUser): Promise<void> {
  const { account, urls } = login;
  await enqueueLoginLink(ctx, attempt, user);
  const outcome = await waitForOutcome(ctx, attempt.stateHash);
  const destination = attempt.nextUrl ?? account.loginRedirectUrl;
  if (!outcome) {
    req.log.warn({ lineAccountId: account.id }, 'LINE Login link still running when the browser stopped waiting');
    return sendLoginPage(req, res, loginPages.linkPending(account.displayName, destination));
  }
  if (outcome.kind === 'refused') {
    const page = outcome.reason === 'contact_already_linked' ? loginPages.contactTaken(account.displayName) : loginPages.linkedElsewhere(account.displayName);
    return sendLoginPage(req, res, page);
  }
  if (account.loginRequireEmail && user.email === null) {
    return sendLoginPage(req, res, loginPages.linkedWithoutEmail(account.displayName, urls.loginUrl, destination));
  }
  if (destination) {
    res.set('cache-control', 'no-store');
    return res.redirect(303, destination);
  }
  sendLoginPage(req, res, loginPages.linked(account.displayName));
}
