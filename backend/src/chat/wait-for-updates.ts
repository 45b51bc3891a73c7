// The request behind an open chat panel's live updates: answers at once when the conversation has a newer
// message or a status change, or the user's friendship is no longer the one the panel shows; otherwise, when
// it may be held (held-polls.ts), waits until this process hears of a change to the portal's conversations
// (ctx.changes), the wait ends or the caller goes away. A request that may not be held answers at once, and
// tells the panel when to ask again.
import type { AppContext } from '../context.ts';
import type { FollowStatus } from '../contacts/links.ts';
import { changedMessages, type ConversationKey, type MessageRow } from '../conversation/messages.ts';
import type { HeldPolls } from './held-polls.ts';

export interface Updates {
  rows: MessageRow[];
  followStatus: FollowStatus;
  /** Pass back as `since` next time: changes at or after it have not been reported yet. */
  checkedAt: number;
  /** How long the panel should wait before asking again: 0 after a held request. */
  nextPollMs: number;
}

export async function waitForUpdates(
  ctx: AppContext,
  held: HeldPolls,
  key: ConversationKey,
  friendship: { shown?: FollowStatus; opened: FollowStatus; read(): Promise<FollowStatus> },
  options: { after: number; since?: number; waitMs: number; signal: AbortSignal },
): Promise<Updates> {
  // A request answered at once takes the friendship read with the conversation a moment ago; a held one
  // reads it after it started watching, so a block stored in between still wakes it.
  const look = async (holding: boolean) => {
    const checkedAt = Date.now();
    const friendshipNow = holding ? friendship.read() : friendship.opened;
    const [rows, followStatus] = await Promise.all([changedMessages(ctx, key, options.after, options.since), friendshipNow]);
    return { rows, followStatus, checkedAt, changed: rows.length > 0 || (friendship.shown !== undefined && followStatus !== friendship.shown) };
  };
  const { found: { rows, followStatus, checkedAt }, nextPollMs } = await lookUntilChanged(ctx, held, key.portalId, look, options);
  return { rows, followStatus, checkedAt, nextPollMs };
}

/** What one look at a conversation found: whether anything changed, and when it looked. */
export interface Look {
  changed: boolean;
  checkedAt: number;
}

/**
 * Looks at once; when nothing changed and the request may be held, looks again each time this process
 * hears of a change to the portal, until something changed, `waitMs` passed or the caller went away.
 * `look(true)` is a held request's look (it must read everything afresh); `look(false)` answers at once.
 * `nextPollMs` tells the panel when to ask again. Shared by every chat panel's live updates.
 */
export async function lookUntilChanged<T extends Look>(
  ctx: AppContext,
  held: HeldPolls,
  portalId: number,
  look: (holding: boolean) => Promise<T>,
  options: { waitMs: number; signal: AbortSignal },
): Promise<{ found: T; nextPollMs: number }> {
  const release = options.waitMs > 0 ? held.tryHold(portalId) : undefined;
  if (!release) return { found: await look(false), nextPollMs: options.waitMs > 0 ? held.nextPollMs(portalId) : 0 };
  try {
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      // Watching starts before the read, so a change written between the two still wakes this request.
      const watch = ctx.changes.watch(portalId);
      try {
        const found = await look(true);
        if (found.changed || found.checkedAt >= deadline) return { found, nextPollMs: 0 };
        await until(watch.changed, deadline - found.checkedAt, options.signal);
        // Nobody is listening any more (panel closed, server stopping): no further queries.
        if (options.signal.aborted) return { found: { ...found, changed: false }, nextPollMs: 0 };
      } finally {
        watch.stop();
      }
    }
  } finally {
    release();
  }
}

/** Resolves when `event` does, after `ms`, or when `signal` aborts, whichever comes first. */
function until(event: Promise<void>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
    void event.then(done);
  });
}
