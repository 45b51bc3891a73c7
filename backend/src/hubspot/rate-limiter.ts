// Per-portal, in-process rate limiter for HubSpot calls: a sliding window for every call and a tighter
// one for search endpoints (limits and why they are what they are: timings.ts).
import { setTimeout as sleepFor } from 'node:timers/promises';
import { DEFAULT_TIMINGS, type RateLimits } from '../timings.ts';

interface PortalWindow {
  calls: number[];
  searches: number[];
  /** Set when HubSpot answered 429: nobody calls for this portal until then. */
  blockedUntil: number;
  /** The 429's policyName (DAILY, TEN_SECONDLY_ROLLING …) that set blockedUntil. */
  blockedBy?: string;
}

export class PortalRateLimiter {
  private readonly limits: RateLimits;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;
  private readonly portals = new Map<number, PortalWindow>();

  constructor(options: { limits?: RateLimits; clock?: () => number; sleep?: (ms: number) => Promise<unknown> } = {}) {
    this.limits = options.limits ?? DEFAULT_TIMINGS.hubspot.rateLimits;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => sleepFor(ms));
  }

  private window(portalId: number): PortalWindow {
    let w = this.portals.get(portalId);
    if (!w) {
      w = { calls: [], searches: [], blockedUntil: 0 };
      this.portals.set(portalId, w);
    }
    return w;
  }

  /** How long a call must wait now (0 = go), after dropping timestamps that left the windows. */
  private waitMs(w: PortalWindow, search: boolean, now: number): number {
    const { callsPerWindow, windowMs, searchesPerWindow, searchWindowMs } = this.limits;
    while (w.calls.length && w.calls[0] <= now - windowMs) w.calls.shift();
    while (w.searches.length && w.searches[0] <= now - searchWindowMs) w.searches.shift();
    let wait = Math.max(0, w.blockedUntil - now);
    if (w.calls.length >= callsPerWindow) wait = Math.max(wait, w.calls[0] + windowMs - now);
    if (search && w.searches.length >= searchesPerWindow) wait = Math.max(wait, w.searches[0] + searchWindowMs - now);
    return wait;
  }

  /** Resolves when this portal may make one more call (a search counts against both windows). */
  async acquire(portalId: number, search = false): Promise<void> {
    const w = this.window(portalId);
    for (;;) {
      const now = this.clock();
      const wait = this.waitMs(w, search, now);
      if (wait === 0) {
        w.calls.push(now);
        if (search) w.searches.push(now);
        return;
      }
      await this.sleep(wait);
    }
  }

  /** HubSpot said "too many": hold every caller of this portal until `untilMs`. */
  block(portalId: number, untilMs: number, policyName?: string): void {
    const w = this.window(portalId);
    if (untilMs > w.blockedUntil) Object.assign(w, { blockedUntil: untilMs, blockedBy: policyName });
  }

  /** How long HubSpot told us to leave this portal alone from now, and why (0 when it did not). */
  blocked(portalId: number): { forMs: number; policyName?: string } {
    const w = this.portals.get(portalId);
    const forMs = w ? Math.max(0, w.blockedUntil - this.clock()) : 0;
    return { forMs, policyName: forMs > 0 ? w?.blockedBy : undefined };
  }

  forget(portalId: number): void {
    this.portals.delete(portalId);
  }
}
