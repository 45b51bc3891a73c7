// Stores a completed install: tokens sealed, status back to installed (a reinstall replaces the tokens of
// a portal that needed one), paused jobs resumed, property provisioning queued.
import type { AppContext } from '../context.ts';
import type { TokenSet } from '../hubspot/oauth-api.ts';
import { recordAuthorization, recordInstall } from '../hubspot/portals.ts';
import { enqueueProvisioning } from '../properties/provision-properties.ts';
import { scheduleInstallCheck } from './install-check-job.ts';

export interface CompletedInstall {
  portalId: number;
  hubDomain?: string;
  userId?: number;
  scopes: string[];
  tokens: TokenSet;
}

export async function saveInstall(ctx: AppContext, install: CompletedInstall): Promise<{ reinstalled: boolean }> {
  const { portalId, tokens } = install;
  const now = Date.now();
  const reinstalled = await ctx.db.transaction(async (trx) => {
    const before = await recordInstall(trx, ctx.secrets, {
      portalId,
      hubDomain: install.hubDomain ?? null,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: install.scopes,
      userId: install.userId ?? null,
    }, now);
    await recordAuthorization(trx, portalId, now);
    await enqueueProvisioning(ctx, portalId, trx);
    await scheduleInstallCheck(ctx, trx);
    return before;
  });
  // After the commit: on SQLite the transaction holds the only connection.
  await ctx.queue.resumePortal(portalId);
  return { reinstalled };
}
