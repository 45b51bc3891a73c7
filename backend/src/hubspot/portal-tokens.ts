// A usable access token for a portal: refreshed when less than five minutes are left (or when HubSpot
// just refused it), single-flight per portal. In-process, concurrent callers share one refresh promise;
// across processes on PostgreSQL, the refresh runs under SELECT … FOR UPDATE on the portal row and the
// token is re-read after taking the lock, so a second process finds it already refreshed. SQLite
// deployments are one process, and holding SQLite's only connection during an HTTP call would stall
// everything else, so there the in-process single flight is the lock.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { resealColumns, unknownKeyIds, type ResealCount, type SealedColumns } from '../crypto/reseal-table.ts';
import { dialectOf } from '../db/database.ts';
import { markPortalRefused } from './portal-refused.ts';
import { isRefreshRefused, refreshAccessToken } from './oauth-api.ts';
import { findPortalRow, PortalNotInstalledError, tokenSecretContext, type PortalRow } from './portals.ts';

export const REFRESH_MARGIN_MS = 5 * 60_000;

const sealedTokenColumns: SealedColumns = {
  table: 'portals',
  key: 'portal_id',
  columns: ['access_token', 'refresh_token'],
  context: (row, column) => tokenSecretContext(Number(row.portal_id), column as 'access_token' | 'refresh_token'),
};

/** Re-seals the portals' tokens sealed with an older key (after a key rotation). */
export function resealPortalTokens(ctx: AppContext): Promise<ResealCount> {
  return resealColumns(ctx.db, ctx.secrets, sealedTokenColumns);
}

/** Keys that sealed stored portal tokens and are no longer configured. */
export function portalTokenKeysMissing(ctx: AppContext): Promise<string[]> {
  return unknownKeyIds(ctx.db, ctx.secrets, sealedTokenColumns);
}

type RefreshOutcome = { token: string } | { refused: string };

// Keyed by context (one per process in production): two runtimes in one test process stay independent.
const refreshesInFlight = new WeakMap<AppContext, Map<number, Promise<string>>>();

function openAccessToken(ctx: AppContext, row: PortalRow): string {
  return ctx.secrets.open(row.access_token, tokenSecretContext(row.portal_id, 'access_token'));
}

function usable(ctx: AppContext, portalId: number, row: PortalRow | undefined): PortalRow {
  if (!row) throw new PortalNotInstalledError(portalId, 'not_installed');
  if (row.status !== 'installed') throw new PortalNotInstalledError(portalId, 'needs_reinstall');
  return row;
}

function mustRefresh(row: PortalRow, current: string, rejected: string | undefined, now: number): boolean {
  return (rejected !== undefined && rejected === current) || row.access_token_expires_at - now < REFRESH_MARGIN_MS;
}

/**
 * The portal's access token, refreshed first when needed. Pass `rejected` (the token HubSpot just
 * answered 401 to) to force a refresh unless someone already replaced that token.
 */
export async function accessTokenFor(ctx: AppContext, portalId: number, rejected?: string): Promise<string> {
  const row = usable(ctx, portalId, await findPortalRow(ctx.db, portalId));
  const current = openAccessToken(ctx, row);
  if (!mustRefresh(row, current, rejected, Date.now())) return current;

  let inFlight = refreshesInFlight.get(ctx);
  if (!inFlight) refreshesInFlight.set(ctx, (inFlight = new Map()));
  const running = inFlight.get(portalId);
  if (running) return running;
  const refresh = refreshLocked(ctx, portalId, rejected).finally(() => inFlight.delete(portalId));
  inFlight.set(portalId, refresh);
  return refresh;
}

async function refreshLocked(ctx: AppContext, portalId: number, rejected: string | undefined): Promise<string> {
  const outcome =
    dialectOf(ctx.db) === 'postgres'
      ? await ctx.db.transaction(async (trx) => refreshRow(ctx, trx, portalId, await findPortalRow(trx, portalId, { forUpdate: true }), rejected))
      : await refreshRow(ctx, ctx.db, portalId, await findPortalRow(ctx.db, portalId), rejected);
  if ('refused' in outcome) throw new PortalNotInstalledError(portalId, 'needs_reinstall');
  return outcome.token;
}

/** Re-checks the (possibly just locked) row, refreshes at HubSpot if still needed, stores the new tokens. */
async function refreshRow(ctx: AppContext, db: Knex, portalId: number, found: PortalRow | undefined, rejected: string | undefined): Promise<RefreshOutcome> {
  const row = usable(ctx, portalId, found);
  const current = openAccessToken(ctx, row);
  if (!mustRefresh(row, current, rejected, Date.now())) return { token: current };
  const refreshToken = ctx.secrets.open(row.refresh_token, tokenSecretContext(portalId, 'refresh_token'));
  let tokens;
  try {
    tokens = await refreshAccessToken(ctx.config, refreshToken);
  } catch (error) {
    if (!isRefreshRefused(error)) throw error;
    await markPortalRefused(ctx, db, portalId, row.refresh_token, (error as Error).message);
    return { refused: (error as Error).message };
  }
  await db('portals')
    .where({ portal_id: portalId })
    .update({
      access_token: ctx.secrets.seal(tokens.accessToken, tokenSecretContext(portalId, 'access_token')),
      refresh_token: ctx.secrets.seal(tokens.refreshToken, tokenSecretContext(portalId, 'refresh_token')),
      access_token_expires_at: tokens.expiresAt,
      updated_at: Date.now(),
    });
  ctx.logger.info({ portalId, expiresAt: new Date(tokens.expiresAt).toISOString() }, 'HubSpot access token refreshed');
  return { token: tokens.accessToken };
}
