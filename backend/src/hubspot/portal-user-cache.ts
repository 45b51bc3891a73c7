// HubSpot's answer about one user of one portal (or "not a user"), kept for a minute: every settings
// change would otherwise cost a HubSpot call against the portal's rate limit, and a forged call from
// another portal's user could spend it at will. Keyed by portal and user, so an answer about a user
// in one portal never stands for the same person in another.
import type { PortalUser } from './portal-users.ts';

export const PORTAL_USER_TTL_MS = 60_000;

export class PortalUserCache {
  private readonly entries = new Map<string, { user: PortalUser | null; until: number }>();
  private readonly clock: () => number;
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(options: { clock?: () => number; maxEntries?: number; ttlMs?: number } = {}) {
    this.clock = options.clock ?? Date.now;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? PORTAL_USER_TTL_MS;
  }

  /** undefined: nothing fresh is known; null: HubSpot said this is not a user of the portal. */
  get(portalId: number, userId: number): PortalUser | null | undefined {
    const key = `${portalId}:${userId}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > this.clock()) return entry.user;
    this.entries.delete(key);
    return undefined;
  }

  set(portalId: number, userId: number, user: PortalUser | null): void {
    const key = `${portalId}:${userId}`;
    this.entries.delete(key);
    // Oldest first in a Map's order: dropping it bounds memory however many users call.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { user, until: this.clock() + this.ttlMs });
  }
}
