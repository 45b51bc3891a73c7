// Messages arriving while an account's HubSpot pass is under way share the next pass instead of each
// making its own calls (inbound/shared-passes.ts): under a steady stream of small batches, passes of
// their own would back up the per-portal rate limiter and hold every worker slot, delaying new messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInboundWorld, waitUntil, type InboundWorld } from '../support/inbound-world.ts';

describe('the HubSpot side of inbound messages', () => {
  let world: InboundWorld;
  beforeAll(async () => {
    world = await startInboundWorld({ env: { LOG_LEVEL: 'warn' } });
  });
  afterAll(async () => {
    await world.close();
  });

  it('is done in one pass for the messages that arrive while an earlier pass waits on HubSpot', async () => {
    const channelId = world.account.channel.channelId;
    const users = Array.from({ length: 5 }, (_, i) => world.line.createUser({ displayName: `Passer ${i}` }));
    for (const u of users) await world.line.follow(channelId, u.userId);
    await world.idle();
    const timeline = /^\/integrators\/timeline\/[^/]+\/events\/batch/;
    let answerTimeline!: () => void;
    const answered = new Promise<void>((resolve) => (answerTimeline = resolve));
    world.hubspot.faults.inject({ path: timeline, times: 1, holdUntil: () => answered });
    const before = world.hubspot.calls.length;
    const [first, ...later] = users;
    await world.line.sendText(channelId, first.userId, 'first, its pass waits on HubSpot');
    await waitUntil(() => world.hubspot.calls.slice(before).some((c) => c.path === '/crm/v3/objects/contacts/batch/update'), 'the first pass reached HubSpot');
    const tokens: string[] = [];
    for (const u of later) tokens.push(String((await world.line.sendText(channelId, u.userId, `meanwhile from ${u.displayName}`)).events[0].replyToken));
    // The reply token is the last thing a batch stores before its HubSpot pass.
    await waitUntil(async () => Number((await world.ctx.db('line_reply_tokens').whereIn('reply_token', tokens).count({ n: '*' }).first())?.n) === later.length, 'the later messages were stored');
    const stored = await world.ctx.db('messages').where({ line_account_id: world.account.id, direction: 'inbound' }).pluck('text');
    expect(stored).toEqual(expect.arrayContaining(later.map((u) => `meanwhile from ${u.displayName}`)));
    answerTimeline();
    await world.idle();
    const timelineCalls = world.hubspot.calls.slice(before).filter((c) => timeline.test(c.path));
    expect(timelineCalls.map((c) => c.status)).toEqual([200, 200]);
    for (const u of users) {
      const contact = world.portal.contacts().find((c) => c.properties.line_user_id === u.userId)!;
      expect(contact.properties.line_unanswered).toBe('true');
    }
  });
});
