// Turning whatever a HubSpot call threw into HubSpotApiError, and that into the queue's job errors.
import { describe, expect, it } from 'vitest';
import { HubSpotApiError, hubSpotErrorFrom, rawErrorBodies, toHubSpotApiError } from '../../backend/src/hubspot/api-error.ts';
import { retryAfterMsOf } from '../../backend/src/http/outbound-errors.ts';
import { jobErrorFor } from '../../backend/src/hubspot/portal-client.ts';
import { PermanentJobError, RetryJobError } from '../../backend/src/jobs/job-errors.ts';

describe('HubSpotApiError', () => {
  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMsOf('2')).toBe(2000);
    expect(retryAfterMsOf('0.5')).toBe(500);
    expect(retryAfterMsOf(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(retryAfterMsOf('soon')).toBeUndefined();
    expect(retryAfterMsOf(undefined)).toBeUndefined();
  });

  it('keeps policyName from the raw body the SDK would drop, and the correlation id', () => {
    const headers = { 'retry-after': '3', 'content-type': 'application/json' };
    rawErrorBodies.set(headers, JSON.stringify({ status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS', policyName: 'SECONDLY', correlationId: 'c0ffee00-0000-4000-8000-000000000000' }));
    const sdkError = Object.assign(new Error('HTTP-Code: 429'), { code: 429, body: { message: 'x', category: 'RATE_LIMITS' }, headers });
    const error = toHubSpotApiError(sdkError, 'contacts.search') as HubSpotApiError;
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({ status: 429, policyName: 'SECONDLY', retryAfterMs: 3000, category: 'RATE_LIMITS', correlationId: 'c0ffee00-0000-4000-8000-000000000000', operation: 'contacts.search' });
    expect(error.message).toContain('c0ffee00-0000-4000-8000-000000000000');
  });

  it('OAuth errors carry their code word in `status`: it becomes the category', () => {
    const error = hubSpotErrorFrom('oauth.refresh', 400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token', correlationId: 'x' });
    expect(error.category).toBe('BAD_REFRESH_TOKEN');
  });

  it('a refused connection is status 0; a bug is not a HubSpot error', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(toHubSpotApiError(refused, 'x')).toMatchObject({ status: 0, category: 'NETWORK' });
    const bug = new TypeError('Cannot read properties of undefined');
    expect(toHubSpotApiError(bug, 'x')).toBe(bug);
  });
});

describe('jobErrorFor', () => {
  const error = (status: number, extra: Partial<ConstructorParameters<typeof HubSpotApiError>[0]> = {}) =>
    new HubSpotApiError({ status, operation: 'op', message: 'm', ...extra });

  it('rate limits retry after Retry-After without using up an attempt', () => {
    expect(jobErrorFor(error(429, { retryAfterMs: 7000, policyName: 'TEN_SECONDLY_ROLLING' }))).toMatchObject({ delayMs: 7000, countAttempt: false });
    expect(jobErrorFor(error(429, { policyName: 'DAILY' }))).toBeInstanceOf(RetryJobError);
  });

  it('5xx and network errors retry after the queue\'s backoff (or Retry-After when sent), counting the attempt', () => {
    for (const status of [0, 500, 502, 503]) {
      const mapped = jobErrorFor(error(status)) as RetryJobError;
      expect(mapped).toBeInstanceOf(RetryJobError);
      expect(mapped.countAttempt).toBe(true);
      expect(mapped.delayMs).toBeUndefined();
    }
    expect(jobErrorFor(error(503, { retryAfterMs: 3000 }))).toMatchObject({ delayMs: 3000, countAttempt: true });
  });

  it('other 4xx are permanent; the cause is kept', () => {
    for (const status of [400, 403, 404, 409]) {
      const mapped = jobErrorFor(error(status));
      expect(mapped).toBeInstanceOf(PermanentJobError);
      expect(mapped.cause).toBeInstanceOf(HubSpotApiError);
    }
  });
});
