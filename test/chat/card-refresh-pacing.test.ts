// How often open contact cards are told to ask again: the portal's cards share a budget of requests a second.
import { describe, expect, it } from 'vitest';
import { CardRefreshPacing } from '../../backend/src/chat/card-refresh-pacing.ts';

describe('card refresh pacing', () => {
  const limits = { baseMs: 20_000, linkWatchMs: 5_000, perPortalPerSecond: 2 };

  it('answers the base interval, or the link-watch one, while few cards are open', () => {
    const pacing = new CardRefreshPacing(limits);
    expect(pacing.nextPollMs(1, 'u1:100', false, 0)).toBe(20_000);
    expect(pacing.nextPollMs(1, 'u1:101', true, 0)).toBe(5_000);
  });

  it('stretches every card of a portal once its open cards would ask more often than the budget allows', () => {
    const pacing = new CardRefreshPacing(limits);
    for (let i = 0; i < 59; i++) pacing.nextPollMs(1, `u1:${i}`, false, 0);
    expect(pacing.nextPollMs(1, 'u1:59', false, 0)).toBe(30_000);
    expect(pacing.nextPollMs(1, 'u2:unlinked', true, 0)).toBe(30_500);
    // Another portal is paced on its own.
    expect(pacing.nextPollMs(2, 'u1:1', false, 0)).toBe(20_000);
  });

  it('forgets cards that stopped asking (closed records), so the interval comes back down', () => {
    const pacing = new CardRefreshPacing(limits);
    for (let i = 0; i < 60; i++) pacing.nextPollMs(1, `u1:${i}`, false, 0);
    expect(pacing.nextPollMs(1, 'u1:0', false, 30_000)).toBe(30_000);
    expect(pacing.nextPollMs(1, 'u1:0', false, 61_000)).toBe(20_000);
  });
});
