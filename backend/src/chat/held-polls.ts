// Which update requests may be held open: every open chat panel asks for updates, and each request held
// counts against hubspot.fetch's 20 concurrent requests per app and portal (429 beyond, for every card
// of that portal). So only a few per portal are held, and only so many per process; the rest are answered
// at once and their panels ask again after POLL_INSTEAD_MS.

export const POLL_INSTEAD_MS = 2_000;

export class HeldPolls {
  private readonly perPortal: number;
  private readonly perProcess: number;
  private readonly held = new Map<number, number>();
  private total = 0;

  constructor(limits: { perPortal: number; perProcess: number }) {
    this.perPortal = limits.perPortal;
    this.perProcess = limits.perProcess;
  }

  /** A release function when the request may wait, else undefined (answer at once). */
  tryHold(portalId: number): (() => void) | undefined {
    const mine = this.held.get(portalId) ?? 0;
    if (mine >= this.perPortal || this.total >= this.perProcess) return undefined;
    this.held.set(portalId, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.held.get(portalId) ?? 1) - 1;
      if (left > 0) this.held.set(portalId, left);
      else this.held.delete(portalId);
    };
  }
}
