// When an open contact card should ask for its status again (nextPollMs of GET /api/contacts/:id/line).
// Each card's poll is a quick request, but every one counts against hubspot.fetch's 20 requests in flight
// per app and portal, which the chat panels' held updates share. So the cards of one portal together ask
// at most `perPortalPerSecond` times a second: the more cards a portal has open, the longer each waits.
// A card is one user looking at one contact; one not heard from for two intervals has been closed.

export interface CardRefreshLimits {
  baseMs: number;
  linkWatchMs: number;
  perPortalPerSecond: number;
}

interface PortalCards {
  lastAsked: Map<string, number>;
  intervalMs: number;
}

export class CardRefreshPacing {
  private readonly limits: CardRefreshLimits;
  private readonly portals = new Map<number, PortalCards>();

  constructor(limits: CardRefreshLimits) {
    this.limits = limits;
  }

  /** Records that `card` of the portal asked now; answers how long it should wait before asking again. */
  nextPollMs(portalId: number, card: string, watchingForLink: boolean, now: number): number {
    const portal = this.portals.get(portalId) ?? { lastAsked: new Map<string, number>(), intervalMs: this.limits.baseMs };
    this.portals.set(portalId, portal);
    const forgetBefore = now - 2 * portal.intervalMs;
    for (const [key, at] of portal.lastAsked) if (at < forgetBefore) portal.lastAsked.delete(key);
    portal.lastAsked.set(card, now);
    const shared = Math.ceil((portal.lastAsked.size * 1_000) / this.limits.perPortalPerSecond);
    portal.intervalMs = Math.max(this.limits.baseMs, shared);
    return Math.max(watchingForLink ? this.limits.linkWatchMs : this.limits.baseMs, shared);
  }
}
