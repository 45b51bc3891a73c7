// When an open contact card should ask for its status again (nextPollMs of GET /api/contacts/:id/line).
// Each card's poll is a quick request, but every one counts against hubspot.fetch's 20 requests in flight
// per app and portal, which the chat panels' held updates share. So the cards of one portal together ask
// at most `perPortalPerSecond` times a second: the more cards a portal has open, the longer each waits.
// A card is one user looking at one contact; one not heard from for two intervals has been closed, and a
// portal none of whose cards asked within that window is forgotten too, so memory follows the portals
// polling now, not every portal that ever did.

export interface CardRefreshLimits {
  baseMs: number;
  linkWatchMs: number;
  perPortalPerSecond: number;
}

interface PortalCards {
  lastAsked: Map<string, number>;
  intervalMs: number;
  newestAsk: number;
}

export class CardRefreshPacing {
  private readonly limits: CardRefreshLimits;
  private readonly portals = new Map<number, PortalCards>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(limits: CardRefreshLimits) {
    this.limits = limits;
  }

  /** Records that `card` of the portal asked now; answers how long it should wait before asking again. */
  nextPollMs(portalId: number, card: string, watchingForLink: boolean, now: number): number {
    this.forgetIdlePortals(now);
    const portal = this.portals.get(portalId) ?? { lastAsked: new Map<string, number>(), intervalMs: this.limits.baseMs, newestAsk: now };
    this.portals.set(portalId, portal);
    const forgetBefore = now - 2 * portal.intervalMs;
    for (const [key, at] of portal.lastAsked) if (at < forgetBefore) portal.lastAsked.delete(key);
    portal.lastAsked.set(card, now);
    portal.newestAsk = Math.max(portal.newestAsk, now);
    const shared = Math.ceil((portal.lastAsked.size * 1_000) / this.limits.perPortalPerSecond);
    portal.intervalMs = Math.max(this.limits.baseMs, shared);
    return Math.max(watchingForLink ? this.limits.linkWatchMs : this.limits.baseMs, shared);
  }

  /** How many portals have cards paced now. */
  get portalsTracked(): number {
    return this.portals.size;
  }

  /** At most once per base interval, so a busy backend does not walk every portal on every poll. */
  private forgetIdlePortals(now: number): void {
    if (now - this.lastSweep < this.limits.baseMs) return;
    this.lastSweep = now;
    for (const [portalId, portal] of this.portals) if (portal.newestAsk < now - 2 * portal.intervalMs) this.portals.delete(portalId);
  }
}
