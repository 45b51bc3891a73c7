// The portals table as the HubSpot side of the backend sees it: install status, sealed OAuth tokens and
// the HubSpot roles allowed to change the app's settings. The only code that queries the table (the
// adapter's files use it directly; features go through these functions).
import type { Knex } from 'knex';
import type { SecretBox } from '../crypto/secret-box.ts';

/** installed: tokens work. needs_reinstall: HubSpot refused the refresh token for good (uninstalled or revoked). */
export type PortalStatus = 'installed' | 'needs_reinstall';

export interface PortalRow {
  portal_id: number;
  hub_domain: string | null;
  status: PortalStatus;
  access_token: string;
  refresh_token: string;
  access_token_expires_at: number;
  scopes: string;
  installed_by_user_id: number | null;
  installed_at: number;
  /** The latest install or reinstall (migration 970). */
  authorized_at: number | null;
  updated_at: number;
  status_changed_at: number | null;
  status_reason: string | null;
  /** Space-separated HubSpot role ids whose users may change the app's settings (besides super admins). */
  admin_role_ids: string;
}

/** Thrown when a portal has no usable install: never installed (or erased), or waiting for a reinstall. */
export class PortalNotInstalledError extends Error {
  readonly portalId: number;
  readonly reason: 'not_installed' | 'needs_reinstall';
  constructor(portalId: number, reason: 'not_installed' | 'needs_reinstall') {
    super(reason === 'not_installed' ? `HubSpot portal ${portalId} has not installed the app` : `HubSpot portal ${portalId} must reinstall the app`);
    this.name = 'PortalNotInstalledError';
    this.portalId = portalId;
    this.reason = reason;
  }
}

/** Associated data binding a sealed token to its portal and column, so a ciphertext cannot be moved. */
export function tokenSecretContext(portalId: number, field: 'access_token' | 'refresh_token'): string {
  return `portals:${portalId}:${field}`;
}

/** `forUpdate` (PostgreSQL, inside a transaction) locks the row until the transaction ends. */
export async function findPortalRow(db: Knex, portalId: number, options: { forUpdate?: boolean } = {}): Promise<PortalRow | undefined> {
  const query = db('portals').where({ portal_id: portalId });
  if (options.forUpdate) query.forUpdate();
  const row = (await query.first()) as PortalRow | undefined;
  return row ? { ...row, portal_id: Number(row.portal_id), access_token_expires_at: Number(row.access_token_expires_at) } : undefined;
}

export function scopesOf(row: Pick<PortalRow, 'scopes'>): string[] {
  return row.scopes.split(' ').filter(Boolean);
}

export function adminRoleIdsOf(row: Pick<PortalRow, 'admin_role_ids'>): string[] {
  return row.admin_role_ids.split(' ').filter(Boolean);
}

export async function saveAdminRoleIds(db: Knex, portalId: number, roleIds: string[]): Promise<void> {
  await db('portals').where({ portal_id: portalId }).update({ admin_role_ids: roleIds.join(' '), updated_at: Date.now() });
}

/** Which of these portals have installed the app here (in whichever status). */
export async function knownPortalIds(db: Knex, portalIds: number[]): Promise<Set<number>> {
  if (portalIds.length === 0) return new Set();
  return new Set(((await db('portals').whereIn('portal_id', portalIds).pluck('portal_id')) as unknown[]).map(Number));
}

export async function installedPortalIds(db: Knex): Promise<number[]> {
  return ((await db('portals').where({ status: 'installed' }).pluck('portal_id')) as unknown[]).map(Number);
}

export interface InstallRecord {
  portalId: number;
  hubDomain: string | null;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scopes: string[];
  userId: number | null;
}

/**
 * Stores an install's tokens (sealed) with status installed, in the caller's transaction: a reinstall
 * replaces the tokens of the portal. Answers whether the portal was installed before.
 */
export async function recordInstall(trx: Knex.Transaction, secrets: SecretBox, install: InstallRecord, now: number): Promise<boolean> {
  const { portalId } = install;
  const before = await trx('portals').where({ portal_id: portalId }).first('status');
  const values = {
    hub_domain: install.hubDomain,
    status: 'installed',
    access_token: secrets.seal(install.accessToken, tokenSecretContext(portalId, 'access_token')),
    refresh_token: secrets.seal(install.refreshToken, tokenSecretContext(portalId, 'refresh_token')),
    access_token_expires_at: install.expiresAt,
    scopes: install.scopes.join(' '),
    installed_by_user_id: install.userId,
    updated_at: now,
    status_reason: null,
  };
  const statusChange = before?.status === 'installed' ? {} : { status_changed_at: now };
  if (before) await trx('portals').where({ portal_id: portalId }).update({ ...values, ...statusChange });
  else await trx('portals').insert({ portal_id: portalId, installed_at: now, ...values, ...statusChange });
  return before !== undefined;
}

/**
 * Notes that the portal (re)granted the app its authorization now: HubSpot's 401/403 refusals before this
 * moment no longer say anything about the app's access. Kept apart from recordInstall, whose columns are
 * those of every release since the first.
 */
export async function recordAuthorization(trx: Knex.Transaction, portalId: number, now: number): Promise<void> {
  await trx('portals').where({ portal_id: portalId }).update({ authorized_at: now });
}

/** Until when the portal is known to have no app event types (null: not known to lack them). */
export async function appEventsUnavailableUntil(db: Knex, portalId: number): Promise<number | null> {
  const row = await db('portals').where({ portal_id: portalId }).first('app_events_unavailable_until');
  const until = row?.app_events_unavailable_until;
  return until === null || until === undefined ? null : Number(until);
}

export async function markAppEventsUnavailable(db: Knex, portalId: number, until: number): Promise<void> {
  await db('portals').where({ portal_id: portalId }).update({ app_events_unavailable_until: until });
}
