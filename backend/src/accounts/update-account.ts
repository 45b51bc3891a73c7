// Editing an account: options apply as given; a new channel secret or access token is checked with LINE
// together with the values it does not replace (the channel ID never changes), so a rotation can never
// leave a non-working pair stored. LINE Login settings are checked with LINE as far as it allows without a
// user (verify-login-channel.ts) and stored only when LINE accepts them.
import type { AppContext } from '../context.ts';
import { badRequest, notFound } from '../http/errors.ts';
import type { z } from 'zod';
import { enqueueProvisioning } from '../properties/provision-properties.ts';
import { retestWebhook } from './connect-account.ts';
import type { OperationProgress } from './run-operation.ts';
import type { loginSettingsBody, updateAccountBody } from './request-schemas.ts';
import { findAccount, updateAccount, type AccountChanges, type LineAccount } from './repository.ts';
import { verifyChannelCredentials } from './verify-credentials.ts';
import { verifyLoginChannel, type LoginChannelCheck } from './verify-login-channel.ts';
import { loginUrls } from './account-urls.ts';

/** Whether an edit checks credentials with LINE (and so runs as an operation rather than within the request). */
export function rotatesCredentials(body: z.infer<typeof updateAccountBody>): boolean {
  return body.channelSecret !== undefined || body.channelAccessToken !== undefined;
}

/** Steps reported when rotating: checking_credentials (done 0), then for a new secret LINE's webhook test (1, 2). */
export async function editAccount(ctx: AppContext, portalId: number, accountId: number, body: z.infer<typeof updateAccountBody>, progress: OperationProgress): Promise<LineAccount> {
  const account = await findAccount(ctx, portalId, accountId);
  if (!account) throw notFound('No such LINE account in this HubSpot account');
  const changes: AccountChanges = { autoCreateContacts: body.autoCreateContacts, autoCreateCompanies: body.autoCreateCompanies, ownerTasks: body.ownerTasks, timelineMode: body.timelineMode };
  if (rotatesCredentials(body)) {
    const bot = await verifyChannelCredentials(ctx.config, {
      channelId: account.channelId,
      channelSecret: body.channelSecret ?? account.channelSecret,
      channelAccessToken: body.channelAccessToken ?? account.channelAccessToken,
    });
    Object.assign(changes, { channelSecret: body.channelSecret, channelAccessToken: body.channelAccessToken, ...bot });
  }
  const updated = await updateAccount(ctx, portalId, accountId, changes);
  if (!updated) throw notFound('No such LINE account in this HubSpot account');
  // The account's name is part of its contact property labels.
  if (updated.displayName !== account.displayName) await enqueueProvisioning(ctx, portalId);
  return body.channelSecret !== undefined ? retestWebhook(ctx, updated, progress, 1) : updated;
}

export async function saveLoginSettings(
  ctx: AppContext,
  portalId: number,
  accountId: number,
  body: z.infer<typeof loginSettingsBody>,
): Promise<{ account: LineAccount; check: LoginChannelCheck }> {
  const account = await findAccount(ctx, portalId, accountId);
  if (!account) throw notFound('No such LINE account in this HubSpot account');
  const sameChannel = account.loginChannelId === body.channelId && account.loginChannelSecret !== null;
  if (body.channelSecret === undefined && !sameChannel) {
    throw badRequest('Request body is invalid: channelSecret is required for a new LINE Login channel', [
      { path: 'channelSecret', message: 'is required for a new LINE Login channel' },
    ]);
  }
  const check = await verifyLoginChannel(ctx.config, {
    channelId: body.channelId,
    channelSecret: body.channelSecret ?? account.loginChannelSecret!,
    liffId: body.liffId ?? null,
    liffEndpointUrl: loginUrls(ctx.config, account.loginKey).liffEndpointUrl,
  });
  const updated = await updateAccount(ctx, portalId, accountId, {
    loginChannelId: body.channelId,
    loginChannelSecret: body.channelSecret,
    // PUT replaces the settings: what is left out is cleared (only the secret is kept, see above).
    liffId: body.liffId ?? null,
    loginRedirectUrl: body.redirectUrl ?? null,
    loginRequireEmail: body.requireEmail,
  });
  if (!updated) throw notFound('No such LINE account in this HubSpot account');
  return { account: updated, check };
}

export async function clearLoginSettings(ctx: AppContext, portalId: number, accountId: number): Promise<LineAccount> {
  const updated = await updateAccount(ctx, portalId, accountId, {
    loginChannelId: null,
    loginChannelSecret: null,
    liffId: null,
    loginRedirectUrl: null,
    loginRequireEmail: false,
  });
  if (!updated) throw notFound('No such LINE account in this HubSpot account');
  return updated;
}
