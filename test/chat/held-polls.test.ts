// Which chat update requests may wait: a few per portal, a cap per process, slots given back once; and
// when the panels whose requests were not held should ask again.
import { describe, expect, it } from 'vitest';
import { HeldPolls, POLL_LATEST_MS, POLL_SOON_MS, UNHELD_PER_POLL_SECOND } from '../../backend/src/chat/held-polls.ts';

describe('held update requests', () => {
  it('holds up to the per-portal limit, and up to the per-process limit over all portals', () => {
    const held = new HeldPolls({ perPortal: 2, perProcess: 3 });
    const a1 = held.tryHold(1);
    const a2 = held.tryHold(1);
    expect([a1, a2].every(Boolean)).toBe(true);
    expect(held.tryHold(1)).toBeUndefined();
    const b1 = held.tryHold(2);
    expect(b1).toBeDefined();
    expect(held.tryHold(3)).toBeUndefined();
    a1!();
    a1!(); // a second release gives nothing back twice
    expect(held.tryHold(3)).toBeDefined();
    expect(held.tryHold(1)).toBeUndefined();
    b1!();
    expect(held.tryHold(1)).toBeDefined();
    expect(held.tryHold(1)).toBeUndefined();
  });

  // The rule changed from "every unheld panel waits 2 s" (issue 13's bench: that wait alone was most of the
  // 2 s budget) to a second, growing with the portal's update requests in progress, so that slow answers
  // (a loaded process) never add up to hubspot.fetch's 20 in flight.
  it('asks unheld panels back within a second, later as the portal’s requests in progress grow', () => {
    const held = new HeldPolls({ perPortal: 2, perProcess: 10 }, () => 0.5);
    for (let i = 0; i < 2 + UNHELD_PER_POLL_SECOND; i++) held.arrive(1); // two held, four answered at once
    held.tryHold(1);
    held.tryHold(1);
    expect(held.nextPollMs(1)).toBe(POLL_SOON_MS);
    const more = Array.from({ length: UNHELD_PER_POLL_SECOND * 3 }, () => held.arrive(1));
    expect(held.nextPollMs(1)).toBe(4 * POLL_SOON_MS);
    expect(held.nextPollMs(2)).toBe(POLL_SOON_MS);
    const crowd = Array.from({ length: 100 }, () => held.arrive(1));
    expect(held.nextPollMs(1)).toBe(POLL_LATEST_MS);
    for (const answered of [...crowd, ...more, ...more]) answered(); // answering twice takes back one
    expect(held.nextPollMs(1)).toBe(POLL_SOON_MS);
  });

  it('spreads the waits by a quarter either way, so panels answered together do not ask together', () => {
    const draws = [0, 0.999, 0.5];
    const held = new HeldPolls({ perPortal: 1, perProcess: 10 }, () => draws.shift()!);
    expect([held.nextPollMs(1), held.nextPollMs(1), held.nextPollMs(1)]).toEqual([0.75 * POLL_SOON_MS, Math.round(1.2495 * POLL_SOON_MS), POLL_SOON_MS]);
  });

  it('asks unheld panels back later while the process holds all it may', () => {
    const held = new HeldPolls({ perPortal: 1, perProcess: 2 }, () => 0.5);
    const release = held.tryHold(1)!;
    held.tryHold(2);
    expect(held.nextPollMs(3)).toBe(2 * POLL_SOON_MS);
    release();
    release();
    expect(held.nextPollMs(3)).toBe(POLL_SOON_MS);
    expect(held.tryHold(1)).toBeDefined();
    expect(held.tryHold(3)).toBeUndefined();
  });
});
