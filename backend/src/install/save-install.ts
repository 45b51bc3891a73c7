// Stores a completed install: tokens sealed, status back to installed (a reinstall replaces the tokens of
// a portal that needed one), paused jobs resumed, property provisioning queued.
import type { AppContext } from '../context.ts';
import type { TokenSet } from '../hubspot/oauth-api.ts';
import { tokenSecretContext } from '../hubspot/portals.ts';
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
    const before = await trx('portals').where({ portal_id: portalId }).first('status');
    const values = {
      hub_domain: install.hubDomain ?? null,
      status: 'installed',
      access_token: ctx.secrets.seal(tokens.accessToken, tokenSecretContext(portalId, 'access_token')),
      refresh_token: ctx.secrets.seal(tokens.refreshToken, tokenSecretContext(portalId, 'refresh_token')),
      access_token_expires_at: tokens.expiresAt,
      scopes: install.scopes.join(' '),
      installed_by_user_id: install.userId ?? null,
      updated_at: now,
      status_reason: null,
    };
    const statusChange = before?.status === 'installed' ? {} : { status_changed_at: now };
    if (before) await trx('portals').where({ portal_id: portalId }).update({ ...values, ...statusChange });
    else await trx('portals').insert({ portal_id: portalId, installed_at: now, ...values, ...statusChange });
    await enqueueProvisioning(ctx, portalId, trx);
    await scheduleInstallCheck(ctx, trx);
    return before !== undefined;
  });
  // After the commit: on SQLite the transaction holds the only connection.
  await ctx.queue.resumePortal(portalId);
  return { reinstalled };
}
