// Every built-in wait of the backend: rate limits, deadlines, backoffs and recheck windows, in one typed
// place carried by Config. Production runs on DEFAULT_TIMINGS (only the HubSpot rate limit can be changed
// by the operator, see config.ts); tests shrink them to milliseconds so that waiting never costs seconds.

/** Per-portal sliding windows for HubSpot calls made by this process. */
export interface RateLimits {
  callsPerWindow: number;
  windowMs: number;
  searchesPerWindow: number;
  searchWindowMs: number;
}

export interface Timings {
  hubspot: {
    rateLimits: RateLimits;
    /** A HubSpot call without an answer by then counts as a network failure. */
    callTimeoutMs: number;
    /** First pause before a 5xx or network failure is retried inline; it doubles for each further attempt. */
    transientBackoffMs: number;
    /**
     * Share of the wait HubSpot asks for on a 429 (Retry-After, or the policy's usual window) that callers
     * are actually held. Which waits are short enough to sit out inline is decided on the wait HubSpot asked for.
     */
    retryAfterScale: number;
    /** How long a chat page waits for HubSpot to name the reps who sent; a slower name shows on a later answer. */
    userNameWaitMs: number;
  };
  line: {
    /** A chat send, read marker or other interactive LINE call: keeps the request inside hubspot.fetch's 15 s. */
    chatCallTimeoutMs: number;
    /** The second reply call that settles whether an unanswered first one went out. */
    replyConfirmTimeoutMs: number;
    /** Calls the agent barely waits for: the profile read when linking by hand, the typing indicator. */
    quickCallTimeoutMs: number;
    /** Each LINE call that checks a channel's credentials before it is saved. */
    credentialCheckTimeoutMs: number;
    /** Setting the webhook URL and LINE's webhook test, during which LINE waits for our own endpoint. */
    webhookTestTimeoutMs: number;
    /** The live token and quota checks behind the settings page's account list. */
    healthCheckTimeoutMs: number;
    /** Each LINE Login call (code exchange, ID token check, friendship) while a customer's browser waits. */
    loginCallTimeoutMs: number;
    /** Each of the two LINE calls that check LINE Login settings on save: both fit in hubspot.fetch's 15 s. */
    loginSettingsCheckTimeoutMs: number;
  };
  contacts: {
    /** How long after a create whose outcome is unknown a contact not found by search may still appear there. */
    searchIndexLagMs: number;
    /** How often a LINE user waiting for that searches again meanwhile. */
    searchRecheckMs: number;
    /** How long a LINE Login's browser waits for its link job before it is told the link is on its way. */
    loginLinkWaitMs: number;
  };
  jobs: {
    /** First retry delay of a failed job; it doubles per attempt (capped at an hour), randomised to 50-100 %. */
    backoffBaseMs: number;
  };
  chat: {
    /** How often a web process with open chat panels looks for messages other processes wrote (worker role). */
    otherProcessPollMs: number;
    /** How often an open contact card asks for its status again, when its LINE users are linked. */
    cardRefreshMs: number;
    /** The same while an account is not linked: a customer may link by LINE Login at any moment. */
    cardLinkWatchMs: number;
    /** All open cards of one portal together ask at most this often a second: many open cards each ask less often. */
    cardRefreshesPerPortalPerSecond: number;
  };
  groups: {
    /**
     * How long a group's change waits before its HubSpot sync runs: the messages of a lively group that
     * come meanwhile share that one sync (company properties, note, task, members) instead of one each.
     */
    syncGatherMs: number;
  };
}

export const DEFAULT_TIMINGS: Timings = {
  hubspot: {
    // HubSpot allows about 100-110 calls per 10 s per installed portal and about 5 searches per second;
    // 80 and 4 leave headroom for clock skew. The limiter counts one process's calls: several processes
    // calling HubSpot for the same portals divide the limit (HUBSPOT_RATE_LIMIT_CALLS).
    rateLimits: { callsPerWindow: 80, windowMs: 10_000, searchesPerWindow: 4, searchWindowMs: 1_000 },
    callTimeoutMs: 30_000,
    transientBackoffMs: 250,
    retryAfterScale: 1,
    userNameWaitMs: 1_500,
  },
  line: {
    chatCallTimeoutMs: 8_000,
    replyConfirmTimeoutMs: 4_000,
    quickCallTimeoutMs: 3_000,
    credentialCheckTimeoutMs: 15_000,
    webhookTestTimeoutMs: 25_000,
    healthCheckTimeoutMs: 8_000,
    loginCallTimeoutMs: 8_000,
    loginSettingsCheckTimeoutMs: 6_000,
  },
  // HubSpot's search index usually shows a new contact within a few seconds.
  contacts: { searchIndexLagMs: 10_000, searchRecheckMs: 2_500, loginLinkWaitMs: 15_000 },
  jobs: { backoffBaseMs: 1_000 },
  // A card's poll is one quick read; hubspot.fetch allows 20 requests in flight per portal, shared with the
  // chat panels' held updates, so cards ask rarely and together at most twice a second per portal.
  chat: { otherProcessPollMs: 1_000, cardRefreshMs: 20_000, cardLinkWatchMs: 5_000, cardRefreshesPerPortalPerSecond: 2 },
  // The company timeline and properties are read by people, not polled by a panel: two seconds late is unnoticed.
  groups: { syncGatherMs: 2_000 },
};

export type TimingOverrides = { [Section in keyof Timings]?: Partial<Timings[Section]> };

/** DEFAULT_TIMINGS with some values replaced, section by section. */
export function timingsWith(overrides: TimingOverrides = {}, base: Timings = DEFAULT_TIMINGS): Timings {
  return {
    hubspot: { ...base.hubspot, ...overrides.hubspot },
    line: { ...base.line, ...overrides.line },
    contacts: { ...base.contacts, ...overrides.contacts },
    jobs: { ...base.jobs, ...overrides.jobs },
    chat: { ...base.chat, ...overrides.chat },
    groups: { ...base.groups, ...overrides.groups },
  };
}
