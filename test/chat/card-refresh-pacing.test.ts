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

  it('forgets a portal whose cards stopped asking, while a portal still asking keeps its pacing', () => {
    const pacing = new CardRefreshPacing(limits);
    for (let i = 0; i < 60; i++) pacing.nextPollMs(1, `u1:${i}`, false, 0);
    pacing.nextPollMs(2, 'u1:1', false, 0);
    expect(pacing.portalsTracked).toBe(2);
    // Portal 1's cards ask again on their stretched interval; portal 2's one card was closed, and the
    // portal is forgotten within a base interval of its window (two of its intervals) running out.
    for (let i = 1; i < 60; i++) pacing.nextPollMs(1, `u1:${i}`, false, 30_000);
    expect(pacing.nextPollMs(1, 'u1:0', false, 51_000)).toBe(30_000);
    expect(pacing.portalsTracked).toBe(1);
    // Coming back, portal 2 starts afresh.
    expect(pacing.nextPollMs(2, 'u1:1', false, 52_000)).toBe(20_000);
    expect(pacing.portalsTracked).toBe(2);
  });
});
