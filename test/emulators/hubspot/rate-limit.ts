// Per-portal rate limits: the ten-secondly rolling window, the search endpoints' secondly limit, a daily cap.
import { errorBody } from './errors.ts';
import type { EmulatorState } from './state.ts';

export type LimitVerdict =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; headers: Record<string, string>; body: unknown };

const DAY = 86_400_000;

export class RateLimiter {
  private state: EmulatorState;
  private windows = new Map<string, number[]>();
  private daily = new Map<number, { day: number; count: number }>();

  constructor(state: EmulatorState) {
    this.state = state;
  }

  reset(): void {
    this.windows.clear();
    this.daily.clear();
  }

  private hits(key: string, windowMs: number, now: number): number[] {
    const list = (this.windows.get(key) ?? []).filter((t) => t > now - windowMs);
    this.windows.set(key, list);
    return list;
  }

  private refuse(portalId: number, policyName: string, message: string, retryAfterMs: number, headers: Record<string, string>): LimitVerdict {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return {
      ok: false,
      headers: { ...headers, 'Retry-After': String(seconds) },
      body: errorBody('RATE_LIMITS', message, {
        errorType: 'RATE_LIMIT',
        policyName,
        groupName: `publicapi:oauth:${this.state.config.appId}:${portalId}`,
      }),
    };
  }

  /** Counts one request of the portal; search requests also count against the secondly search limit. */
  check(portalId: number, search: boolean): LimitVerdict {
    const { rateLimit, searchPerSecond, dailyLimit } = this.state.config;
    const now = this.state.clock.now();
    const day = Math.floor(now / DAY);
    const daily = this.daily.get(portalId);
    const dayCount = daily && daily.day === day ? daily.count : 0;
    if (dailyLimit !== undefined && dayCount >= dailyLimit) {
      return this.refuse(portalId, 'DAILY', 'You have reached your daily limit.', (day + 1) * DAY - now, {});
    }
    if (search) {
      const list = this.hits(`search:${portalId}`, 1000, now);
      if (list.length >= searchPerSecond) {
        return this.refuse(portalId, 'SECONDLY', 'You have reached your secondly limit.', list[0] + 1000 - now, {});
      }
      list.push(now);
    }
    const list = this.hits(`api:${portalId}`, rateLimit.windowMs, now);
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(rateLimit.windowMs),
      'X-HubSpot-RateLimit-Max': String(rateLimit.max),
    };
    if (list.length >= rateLimit.max) {
      headers['X-HubSpot-RateLimit-Remaining'] = '0';
      return this.refuse(portalId, 'TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.', list[0] + rateLimit.windowMs - now, headers);
    }
    list.push(now);
    this.daily.set(portalId, { day, count: dayCount + 1 });
    headers['X-HubSpot-RateLimit-Remaining'] = String(rateLimit.max - list.length);
    if (dailyLimit !== undefined) {
      headers['X-HubSpot-RateLimit-Daily'] = String(dailyLimit);
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(dailyLimit - dayCount - 1);
    }
    // HubSpot does not send the rolling-window headers on search responses.
    return { ok: true, headers: search ? {} : headers };
  }
}
