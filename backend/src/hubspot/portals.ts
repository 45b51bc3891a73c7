// The portals table as the HubSpot side of the backend sees it: install status, sealed OAuth tokens and
// the HubSpot roles allowed to change the app's settings.
import type { Knex } from 'knex';

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
