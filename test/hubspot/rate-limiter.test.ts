// The per-portal limiter with a fake clock: it decides when a call may go; no real time passes.
import { describe, expect, it } from 'vitest';
import { PortalRateLimiter } from '../../backend/src/hubspot/rate-limiter.ts';
import { DEFAULT_TIMINGS } from '../../backend/src/timings.ts';

function fakeTime() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('per-portal HubSpot rate limiter', () => {
  it('lets 80 calls per 10 s through at once, then holds the next one until the oldest leaves the window', async () => {
    const time = fakeTime();
    const limiter = new PortalRateLimiter({ clock: time.clock, sleep: time.sleep });
    expect(DEFAULT_TIMINGS.hubspot.rateLimits).toMatchObject({ callsPerWindow: 80, windowMs: 10_000 });
    for (let i = 0; i < 80; i++) await limiter.acquire(1);
    expect(time.sleeps).toEqual([]);
    await limiter.acquire(1);
    expect(time.sleeps).toEqual([10_000]);
  });

  it('keeps portals apart: one portal at its limit does not slow another', async () => {
    const time = fakeTime();
    const limiter = new PortalRateLimiter({ clock: time.clock, sleep: time.sleep });
    for (let i = 0; i < 80; i++) await limiter.acquire(1);
    for (let i = 0; i < 80; i++) await limiter.acquire(2);
    expect(time.sleeps).toEqual([]);
  });

  it('searches also count against 4 per second', async () => {
    const time = fakeTime();
    const limiter = new PortalRateLimiter({ clock: time.clock, sleep: time.sleep });
    for (let i = 0; i < 4; i++) await limiter.acquire(1, true);
    await limiter.acquire(1); // a non-search call is not held by the search window
    expect(time.sleeps).toEqual([]);
    await limiter.acquire(1, true);
    expect(time.sleeps).toEqual([1_000]);
  });

  it('spaces a long burst: 200 calls take at least two more windows, never more than 80 in any 10 s', async () => {
    const time = fakeTime();
    const limiter = new PortalRateLimiter({ clock: time.clock, sleep: time.sleep });
    const at: number[] = [];
    for (let i = 0; i < 200; i++) {
      await limiter.acquire(7);
      at.push(time.clock());
    }
    for (let i = 80; i < at.length; i++) expect(at[i] - at[i - 80]).toBeGreaterThanOrEqual(10_000);
    expect(at[199] - at[0]).toBeGreaterThanOrEqual(20_000);
  });

  it('block() holds every caller of the portal until the given time (HubSpot said 429)', async () => {
    const time = fakeTime();
    const limiter = new PortalRateLimiter({ clock: time.clock, sleep: time.sleep });
    limiter.block(1, time.clock() + 2_500);
    await limiter.acquire(1);
    expect(time.sleeps).toEqual([2_500]);
    await limiter.acquire(2);
    expect(time.sleeps).toEqual([2_500]);
  });
});
