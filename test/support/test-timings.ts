// The backend's timings in tests: the same rules as production (backend/src/timings.ts) on a clock of
// milliseconds, so a burst still meets the rate limiter and a hanging LINE still meets its deadline,
// without the suite sleeping through seconds. Deadlines keep enough room for a loaded 2-core machine.
import { timingsWith, type Timings } from '../../backend/src/timings.ts';
import type { HubSpotEmulatorOptions } from '../emulators/hubspot/index.ts';

export const TEST_TIMINGS: Timings = timingsWith({
  hubspot: {
    rateLimits: { callsPerWindow: 80, windowMs: 200, searchesPerWindow: 40, searchWindowMs: 1_000 },
    transientBackoffMs: 5,
    // A Retry-After of 1 s holds the portal's callers for 10 ms.
    retryAfterScale: 0.01,
  },
  // A hanging LINE fails the settings page's operations within seconds, with room for a loaded machine
  // (LINE's webhook test calls back into the backend while ten accounts connect at once).
  line: { chatCallTimeoutMs: 1_500, replyConfirmTimeoutMs: 750, credentialCheckTimeoutMs: 4_000, loginSettingsCheckTimeoutMs: 4_000, webhookTestTimeoutMs: 6_000, healthCheckTimeoutMs: 4_000 },
  // The emulator's index lag in a test stays well inside this window (see lost-answers.test.ts).
  contacts: { searchIndexLagMs: 2_000, searchRecheckMs: 100 },
  jobs: { backoffBaseMs: 20 },
  // Cards stay open after their test (the renderer has no unmount): they refresh rarely unless a test asks otherwise.
  chat: { otherProcessPollMs: 50, cardRefreshMs: 2_000, cardLinkWatchMs: 100, cardRefreshesPerPortalPerSecond: 2 },
  groups: { syncGatherMs: 20 },
});

/**
 * HubSpot's own limits on the same clock as `timings`: it allows about 100 calls where the backend
 * allows itself 80, and 5 searches where it allows itself 4, so a backend within its limits meets no 429.
 */
export function hubspotLimitsFor(timings: Timings): Pick<HubSpotEmulatorOptions, 'rateLimit' | 'searchPerSecond'> {
  const { callsPerWindow, windowMs, searchesPerWindow, searchWindowMs } = timings.hubspot.rateLimits;
  return {
    rateLimit: { max: Math.ceil(callsPerWindow * 1.25), windowMs },
    searchPerSecond: Math.ceil(((searchesPerWindow * 1.25) / searchWindowMs) * 1_000),
  };
}
