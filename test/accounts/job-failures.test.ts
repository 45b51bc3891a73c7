// How the settings page learns what a failed job was for and why it failed: the job types it names are the
// ones the features define, and the reason is read from the error text the queue stores for each platform
// refusal (the adapters' wording, made here by their own error classes).
import { describe, expect, it } from 'vitest';
import { failureReasonOf, namedJobTypes } from '../../backend/src/accounts/job-failures.ts';
import { features } from '../../backend/src/features.ts';
import { HubSpotApiError } from '../../backend/src/hubspot/api-error.ts';
import { jobErrorFor } from '../../backend/src/hubspot/portal-client.ts';
import { PortalNotInstalledError } from '../../backend/src/hubspot/portals.ts';
import { errorText } from '../../backend/src/jobs/job-errors.ts';
import { LineApiError } from '../../backend/src/line/line-api-error.ts';

const hubspot = (status: number, category?: string) => errorText(jobErrorFor(new HubSpotApiError({ status, operation: 'batch create contacts', message: 'refused', category })));
const line = (status: number, lineMessage?: string) => errorText(new LineApiError({ status, operation: 'get profile', lineMessage, transportFailure: status ? undefined : 'fetch failed' }));

describe('failed jobs in words', () => {
  it('names only job types a feature defines', () => {
    const defined = new Set(features.flatMap((feature) => (feature.jobs ?? []).map((job) => job.type)));
    expect(namedJobTypes.filter((type) => !defined.has(type))).toEqual([]);
  });

  it('reads why a job failed from the error the queue stored', () => {
    expect(failureReasonOf(hubspot(400, 'VALIDATION_ERROR'))).toBe('hubspot_refused');
    expect(failureReasonOf(hubspot(403, 'MISSING_SCOPES'))).toBe('hubspot_authorization');
    expect(failureReasonOf(hubspot(429))).toBe('hubspot_rate_limit');
    expect(failureReasonOf(hubspot(503))).toBe('hubspot_unavailable');
    expect(failureReasonOf(hubspot(0))).toBe('hubspot_unavailable');
    expect(failureReasonOf(errorText(jobErrorFor(new PortalNotInstalledError(1, 'not_installed'))))).toBe('hubspot_authorization');
    expect(failureReasonOf(line(401, 'Authentication failed'))).toBe('line_token_invalid');
    expect(failureReasonOf(line(429, 'You have reached your monthly limit.'))).toBe('line_quota');
    expect(failureReasonOf(line(429, 'Too many requests'))).toBe('line_unavailable');
    expect(failureReasonOf(line(0))).toBe('line_unavailable');
    expect(failureReasonOf(line(400, 'The request body has 1 error(s)'))).toBe('line_refused');
    expect(failureReasonOf('lease expired: the worker stopped during the last attempt')).toBe('interrupted');
    expect(failureReasonOf('TypeError: x is undefined')).toBe('unknown');
    expect(failureReasonOf(null)).toBe('unknown');
  });
});
