// A portal's users and roles as HubSpot's user provisioning API tells them (scope settings.users.read).
// HubSpot shows whether a user is a super admin and which roles they have, never individual permissions.
import type { AppContext } from '../context.ts';
import { HubSpotApiError, hubspotFor } from './portal-client.ts';

export interface PortalUser {
  id: number;
  /** How colleagues know them (first and last name as HubSpot has them), null when HubSpot has neither. */
  name: string | null;
  superAdmin: boolean;
  roleIds: string[];
}

export interface PortalRole {
  id: string;
  name: string;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Family name first for Japanese, Chinese and Korean names (佐藤 愛子), given name first otherwise (Aiko Sato). */
export function displayName(firstName: string | null | undefined, lastName: string | null | undefined): string | null {
  const first = firstName?.trim() ?? '';
  const last = lastName?.trim() ?? '';
  const parts = CJK.test(first + last) ? [last, first] : [first, last];
  return parts.filter(Boolean).join(' ') || null;
}

/** The user, or null when HubSpot does not know them as a user of this portal (404). */
export async function findPortalUser(ctx: AppContext, portalId: number, userId: number): Promise<PortalUser | null> {
  const hs = await hubspotFor(ctx, portalId);
  try {
    const user = await hs.call('settings.users.get', (client) => client.settings.users.usersApi.getById(String(userId)));
    // `roleId` is the older single-role field; HubSpot still fills it for users with one role.
    const roleIds = new Set([...(user.roleIds ?? []), ...(user.roleId ? [user.roleId] : [])].map(String));
    return { id: userId, name: displayName(user.firstName, user.lastName), superAdmin: user.superAdmin === true, roleIds: [...roleIds] };
  } catch (error) {
    if (error instanceof HubSpotApiError && error.status === 404) return null;
    throw error;
  }
}

export async function listPortalRoles(ctx: AppContext, portalId: number): Promise<PortalRole[]> {
  const hs = await hubspotFor(ctx, portalId);
  const page = await hs.call('settings.roles.list', (client) => client.settings.users.rolesApi.getAll());
  return page.results.map((role) => ({ id: String(role.id), name: role.name }));
}
