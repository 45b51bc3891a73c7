// ─────────────────────────────────────────────────────────────────────────────────────────────────────
// THE way the backend calls HubSpot for a portal. Every HubSpot API call goes through `call`:
//
//   const hs = await hubspotFor(ctx, portalId);            // throws PortalNotInstalledError
//   const page = await hs.call('contacts.search', (client) =>
//     client.crm.contacts.searchApi.doSearch({ filterGroups: [...], limit: 100 }));
//
// `client` is the official @hubspot/api-client Client, with basePath = HUBSPOT_API_BASE_URL and a
// fresh access token (refreshed when < 5 min are left; single-flight per portal, see portal-tokens.ts).
// Make ONE HubSpot request per `call` (the whole function is retried). For `client.apiRequest(...)`,
// which returns a raw Response, pass it through `ensureOk(response, operation)` so errors are typed.
//
// What `call` does around the function:
// - waits for the portal's rate limiter (80 calls / 10 s per portal in this process; operations whose
//   name contains "search" also count against 4 / s; config.timings), shared by every caller of that portal;
// - 401: refreshes the token once and retries; a refresh refused for good marks the portal
//   needs_reinstall, pauses its jobs and throws PortalNotInstalledError;
// - 429 TEN_SECONDLY_ROLLING / SECONDLY: holds every caller of the portal for Retry-After (or a default)
//   and retries, up to 3 attempts, while the wait is short (≤ 5 s); otherwise throws;
// - 429 DAILY: pauses the portal's jobs until Retry-After or the next UTC midnight, then throws;
// - 5xx, network errors, timeouts (30 s): retries with backoff (250 ms, then 500 ms), 3 attempts in all, then throws.
//   Not for creates: HubSpot may have done the work before the answer was lost, and a retry would make a
//   second object. Pass `{ idempotent: false }` and the error is thrown at once (401 and 429 are still
//   retried: HubSpot refused those before doing anything); the caller then finds what was created
//   before creating again (see contacts/resolve-contacts.ts, conversation/lost-creates.ts);
// - throws HubSpotApiError { status, category?, correlationId?, policyName?, retryAfterMs?, operation }
//   for HubSpot's refusals (non-HubSpot errors from your own code are rethrown unchanged).
// The SDK's own retries are off (numberOfApiCallRetries: 0): this is the one retry policy.
//
// In job handlers: `catch (e) { throw jobErrorFor(e) }` turns these errors into the
// queue's RetryJobError (429, 5xx, network, paused portal; rate limits don't use up attempts) or
// PermanentJobError (other 4xx, portal erased).
// ─────────────────────────────────────────────────────────────────────────────────────────────────────
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@hubspot/api-client';
import type { AppContext } from '../context.ts';
import { PermanentJobError, RetryJobError } from '../jobs/job-errors.ts';
import { HubSpotApiError, rawErrorBodies, toHubSpotApiError } from './api-error.ts';
import { accessTokenFor } from './portal-tokens.ts';
import { findPortalRow, PortalNotInstalledError } from './portals.ts';
import { PortalRateLimiter } from './rate-limiter.ts';

export { HubSpotApiError, ensureOk } from './api-error.ts';
export { PortalNotInstalledError } from './portals.ts';

export interface CallOptions {
  /** false for requests that create something: a 5xx, network error or timeout is not retried inline. */
  idempotent?: boolean;
}

export interface HubSpotPortal {
  portalId: number;
  call<T>(operation: string, fn: (client: Client) => Promise<T>, options?: CallOptions): Promise<T>;
}

const MAX_TRANSIENT_ATTEMPTS = 3;
const MAX_RATE_LIMIT_ATTEMPTS = 3;
const MAX_INLINE_RATE_LIMIT_WAIT_MS = 5_000;
const DEFAULT_RATE_LIMIT_WAIT_MS: Record<string, number> = { SECONDLY: 1_000, TEN_SECONDLY_ROLLING: 2_000 };

const limiters = new WeakMap<AppContext, PortalRateLimiter>();

/** The rate limiter shared by every HubSpot caller of this context (one per process in production). */
export function rateLimiterOf(ctx: AppContext): PortalRateLimiter {
  let limiter = limiters.get(ctx);
  if (!limiter) limiters.set(ctx, (limiter = new PortalRateLimiter({ limits: ctx.config.timings.hubspot.rateLimits })));
  return limiter;
}

// The SDK turns error bodies into its Error model, dropping `policyName`: keep the raw text (api-error.ts).
const keepErrorBody = {
  pre: (context: unknown) => context,
  async post(context: unknown) {
    const response = context as { httpStatusCode: number; headers: Record<string, string>; body: { text(): Promise<string>; binary(): Promise<Buffer> } };
    if (response.httpStatusCode < 400) return response;
    const text = await response.body.text();
    rawErrorBodies.set(response.headers, text);
    response.body = { text: async () => text, binary: async () => Buffer.from(text) };
    return response;
  },
};

function sdkClient(ctx: AppContext, accessToken: string): Client {
  return new Client({ accessToken, basePath: ctx.config.HUBSPOT_API_BASE_URL, numberOfApiCallRetries: 0, middleware: [keepErrorBody] });
}

function withTimeout<T>(work: Promise<T>, operation: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HubSpotApiError({ status: 0, operation, category: 'TIMEOUT', message: `no answer within ${timeoutMs} ms` })), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function nextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

async function pauseForDailyLimit(ctx: AppContext, portalId: number, error: HubSpotApiError): Promise<void> {
  const now = Date.now();
  const until = error.retryAfterMs !== undefined ? now + error.retryAfterMs : nextUtcMidnight(now);
  // The pause is stored before callers in this process are held back, so whoever is told "DAILY" finds it.
  await ctx.queue.pausePortal(portalId, until, `HubSpot DAILY API limit reached (correlationId ${error.correlationId ?? 'n/a'})`);
  rateLimiterOf(ctx).block(portalId, until, error.policyName);
  ctx.logger.warn({ portalId, until: new Date(until).toISOString(), operation: error.operation }, 'HubSpot daily API limit reached: portal jobs paused');
}

async function callWithPolicy<T>(ctx: AppContext, portalId: number, operation: string, fn: (client: Client) => Promise<T>, options: CallOptions): Promise<T> {
  const limiter = rateLimiterOf(ctx);
  const { callTimeoutMs, transientBackoffMs, retryAfterScale } = ctx.config.timings.hubspot;
  const search = /search/i.test(operation);
  let rejectedToken: string | undefined;
  let refreshedAfter401 = false;
  let transientAttempts = 0;
  let rateLimitAttempts = 0;
  for (;;) {
    // A portal HubSpot told to wait long (a DAILY limit lasts until midnight) is not waited for here:
    // the caller gets the rate limit at once, a job comes back when the wait is over.
    const blocked = limiter.blocked(portalId);
    if (blocked.forMs > MAX_INLINE_RATE_LIMIT_WAIT_MS) {
      throw new HubSpotApiError({
        status: 429,
        operation,
        policyName: blocked.policyName,
        retryAfterMs: blocked.forMs,
        message: `HubSpot asked this app to pause its calls for this HubSpot account for ${Math.ceil(blocked.forMs / 1000)} s`,
      });
    }
    await limiter.acquire(portalId, search);
    const token = await accessTokenFor(ctx, portalId, rejectedToken);
    try {
      return await withTimeout(fn(sdkClient(ctx, token)), operation, callTimeoutMs);
    } catch (thrown) {
      const error = toHubSpotApiError(thrown, operation);
      if (!(error instanceof HubSpotApiError)) throw error;
      if (error.status === 401 && !refreshedAfter401) {
        refreshedAfter401 = true;
        rejectedToken = token;
        continue;
      }
      if (error.isDailyLimit) {
        await pauseForDailyLimit(ctx, portalId, error);
        throw error;
      }
      if (error.isRateLimit) {
        rateLimitAttempts++;
        const wait = error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS[error.policyName ?? ''] ?? 2_000;
        limiter.block(portalId, Date.now() + wait * retryAfterScale, error.policyName);
        ctx.logger.warn({ portalId, operation, policyName: error.policyName, waitMs: wait, correlationId: error.correlationId }, 'HubSpot rate limit hit');
        if (rateLimitAttempts < MAX_RATE_LIMIT_ATTEMPTS && wait <= MAX_INLINE_RATE_LIMIT_WAIT_MS) continue;
        throw error;
      }
      if (error.isTransient && options.idempotent !== false) {
        transientAttempts++;
        if (transientAttempts < MAX_TRANSIENT_ATTEMPTS) {
          ctx.logger.warn({ portalId, operation, status: error.status, correlationId: error.correlationId }, 'HubSpot call failed; retrying');
          await sleep(transientBackoffMs * 2 ** (transientAttempts - 1));
          continue;
        }
      }
      throw error;
    }
  }
}

/** The HubSpot API of one installed portal. Throws PortalNotInstalledError when it has no usable install. */
export async function hubspotFor(ctx: AppContext, portalId: number): Promise<HubSpotPortal> {
  const row = await findPortalRow(ctx.db, portalId);
  if (!row) throw new PortalNotInstalledError(portalId, 'not_installed');
  if (row.status !== 'installed') throw new PortalNotInstalledError(portalId, 'needs_reinstall');
  return {
    portalId,
    call: (operation, fn, options = {}) => callWithPolicy(ctx, portalId, operation, fn, options),
  };
}

// The portal's jobs are paused until it reinstalls; this only matters once the pause is lifted.
const REINSTALL_RECHECK_MS = 60_000;

/**
 * What a job handler should throw for an error from `call` / `hubspotFor`: transient failures come back
 * after Retry-After or the queue's backoff. Errors that are not HubSpot's pass through.
 */
export function jobErrorFor(error: unknown): Error {
  if (error instanceof PortalNotInstalledError) {
    if (error.reason === 'not_installed') return new PermanentJobError(error.message, { cause: error });
    // Paused until the portal reinstalls; the attempt is given back so the wait never dead-letters the job.
    return new RetryJobError(error.message, { delayMs: REINSTALL_RECHECK_MS, countAttempt: false, cause: error });
  }
  if (error instanceof HubSpotApiError) {
    if (error.isRateLimit) {
      return new RetryJobError(error.message, { delayMs: error.retryAfterMs ?? 10_000, countAttempt: false, cause: error });
    }
    if (error.isTransient) {
      return new RetryJobError(error.message, { delayMs: error.retryAfterMs, cause: error });
    }
    return new PermanentJobError(error.message, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
