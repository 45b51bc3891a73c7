// A burst of 1,000 messages from 200 users: batched processing keeps HubSpot calls at or below 1.5 per
// message, and with 30% of HubSpot calls failing nothing is lost and nothing is duplicated.
import { afterEach, describe, expect, it } from 'vitest';
import { startInboundWorld, type InboundWorld } from '../support/inbound-world.ts';
import { buildBurst, deliverBurst, expectBurstComplete, MESSAGES_PER_USER, USERS } from './burst-support.ts';

describe('inbound burst', () => {
  let world: InboundWorld;
  afterEach(async () => {
    await world?.close();
  });

  it('handles 1,000 messages from 200 users with at most 1.5 HubSpot calls per message', async () => {
    world = await startInboundWorld({ env: { LOG_LEVEL: 'warn' } });
    const channelId = world.account.channel.channelId;
    const burst = buildBurst(world.line, channelId);
    const before = world.hubspot.calls.length;
    expect(await deliverBurst(world.line, channelId, burst)).toEqual([]);
    await world.idle(120_000);
    await expectBurstComplete({ db: world.ctx.db, portal: world.portal, burst, accountId: world.account.id });
    const calls = world.hubspot.calls.slice(before).filter((c) => c.portalId === world.portal.portalId);
    const perMessage = calls.length / (USERS * MESSAGES_PER_USER);
    console.log(`HubSpot calls for ${USERS} follows + ${USERS * MESSAGES_PER_USER} messages: ${calls.length} (${perMessage.toFixed(3)} per message)`);
    expect(perMessage).toBeLessThanOrEqual(1.5);
  }, 180_000);

  it('loses and duplicates nothing when 30% of HubSpot calls fail', async () => {
    world = await startInboundWorld({ env: { LOG_LEVEL: 'warn' }, portal: { owners: [{ email: 'owner@example.com' }] } });
    const channelId = world.account.channel.channelId;
    const burst = buildBurst(world.line, channelId);
    // A tenth of the users were imported with an owner: their first message opens exactly one task.
    const owned = burst.users.filter((_, i) => i % 10 === 0);
    for (const u of owned) world.portal.createObject('contacts', { firstname: u.displayName, line_user_id: u.userId, hubspot_owner_id: world.portal.owners[0].id });
    world.hubspot.faults.inject({ path: /^\/(crm|integrators)\//, status: 503, failRatio: 0.2 });
    world.hubspot.faults.inject({ path: /^\/(crm|integrators)\//, status: 429, failRatio: 0.125, headers: { 'Retry-After': '1' }, body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS', correlationId: '5f5a1c9e-2b8e-4f58-9b1a-0d6d0d3a0c11' } });
    expect(await deliverBurst(world.line, channelId, burst)).toEqual([]);
    await world.idle(170_000);
    world.hubspot.faults.clear();
    const failedCalls = world.hubspot.calls.filter((c) => c.status >= 429).length;
    console.log(`HubSpot calls answered with a fault: ${failedCalls} of ${world.hubspot.calls.length}`);
    expect(failedCalls).toBeGreaterThan(0);
    await expectBurstComplete({ db: world.ctx.db, portal: world.portal, burst, accountId: world.account.id });
    for (const u of owned) {
      const contact = world.portal.contacts().find((c) => c.properties.line_user_id === u.userId)!;
      const tasks = world.portal.associations().filter((a) => a.fromType === 'tasks' && a.toType === 'contacts' && a.toId === contact.id);
      expect(tasks, u.userId).toHaveLength(1);
    }
    expect(world.portal.tasks()).toHaveLength(owned.length);
    const dead = await world.ctx.db('jobs').where({ state: 'dead' }).select('type', 'attempts', 'last_error');
    expect(dead, JSON.stringify(dead)).toEqual([]);
  }, 200_000);
});
