// Which update requests may be held open, and when the others should ask again. Every open chat panel
// asks for updates, and each request in flight counts against hubspot.fetch's 20 concurrent requests per
// app and portal (429 beyond, for every card of that portal). So only a few per portal are held, and
// only so many per process; the rest are answered at once and told when to ask again.
//
// A panel that is not held sees a new message only when it asks again, so that wait is most of the time
// a message takes to reach it: it is a second while answers are quick (46 panels asking once a second,
// answered in 5 ms, keep about a quarter of a request in flight). A loaded process answers slowly, and
// then every poll keeps its place in the budget longer: the wait grows with the portal's update requests
// in progress, so the panels' requests in flight stay well under 20 however slow the answers are. Each
// wait is spread by a quarter either way: panels answered together after a stall would otherwise keep
// asking together, in bursts that count against the budget all at once.
//
// The budget is the portal's, whichever card asks: the contacts' 1:1 panels and the companies' group panels
// count in one HeldPolls per process (heldPollsOf), never one each.
import type { AppContext } from '../context.ts';

/** When a panel whose request was not held asks again, while answers are quick. */
export const POLL_SOON_MS = 1_000;
/** The longest wait asked for, however many requests are in progress. */
export const POLL_LATEST_MS = 8_000;
/** Unheld update requests of one portal in progress at once that each second of waiting allows. */
export const UNHELD_PER_POLL_SECOND = 4;

export class HeldPolls {
  private readonly perPortal: number;
  private readonly perProcess: number;
  private readonly held = new Map<number, number>();
  private readonly inProgress = new Map<number, number>();
  private totalHeld = 0;
  private readonly random: () => number;

  constructor(limits: { perPortal: number; perProcess: number }, random: () => number = Math.random) {
    this.perPortal = limits.perPortal;
    this.perProcess = limits.perProcess;
    this.random = random;
  }

  /** Counts an update request of the portal from its arrival; call the answer once it is answered. */
  arrive(portalId: number): () => void {
    return this.count(this.inProgress, portalId);
  }

  /** A release function when the request may wait, else undefined (answer at once). */
  tryHold(portalId: number): (() => void) | undefined {
    const mine = this.held.get(portalId) ?? 0;
    if (mine >= this.perPortal || this.totalHeld >= this.perProcess) return undefined;
    this.totalHeld++;
    return this.count(this.held, portalId, () => this.totalHeld--);
  }

  /** How long a panel answered at once should wait before asking again (give or take a quarter). */
  nextPollMs(portalId: number): number {
    const unheld = Math.max(1, (this.inProgress.get(portalId) ?? 0) - (this.held.get(portalId) ?? 0));
    const crowded = this.totalHeld >= this.perProcess ? 2 : 1;
    const wait = Math.min(POLL_LATEST_MS, POLL_SOON_MS * Math.max(crowded, Math.ceil(unheld / UNHELD_PER_POLL_SECOND)));
    return Math.round(wait * (0.75 + this.random() / 2));
  }

  /** Adds one to the portal's count; the answer takes it back, once however often it is called. */
  private count(counts: Map<number, number>, portalId: number, onEnd?: () => void): () => void {
    counts.set(portalId, (counts.get(portalId) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      onEnd?.();
      const left = (counts.get(portalId) ?? 1) - 1;
      if (left > 0) counts.set(portalId, left);
      else counts.delete(portalId);
    };
  }
}

const perProcess = new WeakMap<AppContext, HeldPolls>();

/** The process's one count of held update requests, shared by every kind of chat panel. */
export function heldPollsOf(ctx: AppContext): HeldPolls {
  let held = perProcess.get(ctx);
  if (!held) {
    held = new HeldPolls({ perPortal: ctx.config.CHAT_HELD_POLLS_PER_PORTAL, perProcess: ctx.config.CHAT_HELD_POLLS_PER_PROCESS });
    perProcess.set(ctx, held);
  }
  return held;
}
