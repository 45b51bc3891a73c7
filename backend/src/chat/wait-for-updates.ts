// Long-poll behind an open chat panel: answers as soon as the conversation has a newer message or a
// status change, checking the database every POLL_INTERVAL_MS (so it works with several backend
// processes), or empty when waitMs passes or the caller goes away.
import type { AppContext } from '../context.ts';
import { changedMessages, type ConversationKey, type MessageRow } from '../conversation/messages.ts';

export const POLL_INTERVAL_MS = 250;

export interface Updates {
  rows: MessageRow[];
  /** Pass back as `since` next time: changes at or after it have not been reported yet. */
  checkedAt: number;
}

export async function waitForUpdates(
  ctx: AppContext,
  key: ConversationKey,
  options: { after: number; since?: number; waitMs: number; signal: AbortSignal },
): Promise<Updates> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const checkedAt = Date.now();
    const rows = await changedMessages(ctx, key, options.after, options.since);
    if (rows.length > 0 || checkedAt >= deadline) return { rows, checkedAt };
    await sleep(Math.min(POLL_INTERVAL_MS, deadline - checkedAt), options.signal);
    // Nobody is listening any more (panel closed, server stopping): no further queries.
    if (options.signal.aborted) return { rows: [], checkedAt };
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
