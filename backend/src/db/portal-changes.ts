// In-process notice that a portal's stored data changed, for requests that wait on it (the chat panel's
// long-poll). Writers call notify(portalId) where they write, so a waiter wakes at once instead of each
// waiter polling the database. Changes written by another process (a worker role, a second web process)
// reach this one through a single slow poll per process, run only while someone waits: one query per
// table the waiters show (each remembers what it already reported, by its own timestamps).

/** The portals with changes written at or after `since` (epoch ms) by any process, each with its latest change. */
export type ChangedPortals = (since: number) => Promise<Array<{ portalId: number; lastChangeAt: number }>>;

/** How far back each poll of other processes' changes looks: their clocks and commits may lag a little. */
const POLL_OVERLAP_MS = 2_000;

interface Watch {
  /** Resolves at the portal's next change. */
  changed: Promise<void>;
  stop(): void;
}

export class PortalChanges {
  private readonly waiters = new Map<number, Set<() => void>>();
  private watching = 0;
  private poll?: { queries: Array<{ query: ChangedPortals; seen: Map<number, number> }>; intervalMs: number; timer?: NodeJS.Timeout; lastAt: number };

  private readonly onPollError: (error: unknown) => void;

  constructor(onPollError: (error: unknown) => void = () => undefined) {
    this.onPollError = onPollError;
  }

  notify(portalId: number): void {
    const wake = this.waiters.get(portalId);
    if (!wake) return;
    this.waiters.delete(portalId);
    for (const w of wake) w();
  }

  /**
   * Polls for changes of other processes every `intervalMs` while anything is watched; each feature with a
   * log of its own (1:1 chats and their links, group chats) adds its queries, and one timer asks them all.
   */
  pollOtherProcesses(queries: ChangedPortals[], intervalMs: number): void {
    const all = [...(this.poll?.queries ?? []), ...queries.map((query) => ({ query, seen: new Map<number, number>() }))];
    clearTimeout(this.poll?.timer);
    this.poll = { queries: all, intervalMs: Math.min(intervalMs, this.poll?.intervalMs ?? intervalMs), lastAt: Date.now() };
    if (this.watching > 0) this.schedulePoll();
  }

  /** Subscribes before the caller reads, so a change between its read and its wait is not missed. */
  watch(portalId: number): Watch {
    let wake!: () => void;
    const changed = new Promise<void>((resolve) => (wake = resolve));
    const set = this.waiters.get(portalId) ?? new Set();
    set.add(wake);
    this.waiters.set(portalId, set);
    if (this.watching++ === 0 && this.poll) {
      this.poll.lastAt = Date.now();
      this.schedulePoll();
    }
    let stopped = false;
    return {
      changed,
      stop: () => {
        if (stopped) return;
        stopped = true;
        const current = this.waiters.get(portalId);
        current?.delete(wake);
        if (current?.size === 0) this.waiters.delete(portalId);
        if (--this.watching === 0) clearTimeout(this.poll?.timer);
      },
    };
  }

  private schedulePoll(): void {
    const poll = this.poll!;
    clearTimeout(poll.timer);
    poll.timer = setTimeout(async () => {
      const startedAt = Date.now();
      const since = poll.lastAt - POLL_OVERLAP_MS;
      try {
        // The overlap finds a change again on the next poll: only a newer one than already seen wakes anyone.
        for (const { query, seen } of poll.queries) {
          for (const { portalId, lastChangeAt } of await query(since)) {
            if (lastChangeAt <= (seen.get(portalId) ?? -Infinity)) continue;
            seen.set(portalId, lastChangeAt);
            this.notify(portalId);
          }
          for (const [portalId, at] of seen) if (at < since) seen.delete(portalId);
        }
        poll.lastAt = startedAt;
      } catch (error) {
        this.onPollError(error);
      }
      if (this.watching > 0) this.schedulePoll();
    }, poll.intervalMs);
    poll.timer.unref();
  }
}
