// A burst of 300 messages from 20 members of 3 groups, each group linked to a company with an owner: the
// messages that arrive together share their HubSpot work (members' contacts, the company's properties,
// note and task), so the burst costs a bounded number of HubSpot calls per message; and with a share of
// HubSpot calls failing nothing is lost and nothing is made twice.
import { afterEach, describe, expect, it } from 'vitest';
import { provisionPortalProperties } from '../../backend/src/accounts/provision-properties-job.ts';
import { timingsWith } from '../../backend/src/timings.ts';
import { startInboundWorld, type InboundWorld } from '../support/inbound-world.ts';
import { TEST_TIMINGS } from '../support/test-timings.ts';
import { buildGroupBurst, deliverGroupBurst, expectGroupBurstComplete, groupBurstEvents, MESSAGES } from './group-burst-support.ts';

const MAX_CALLS_PER_MESSAGE = 0.5;
/** Half of production's gathering delay, on a burst that takes the backend a few seconds to take in. */
const GATHER_MS = 1_000;

describe('a burst of group messages', () => {
  let world: InboundWorld;
  afterEach(async () => {
    await world?.close();
  });

  /** Three groups the bot joined, each with its company (named after it) given an owner. */
  async function groupsWithCompanies() {
    world = await startInboundWorld({ env: { LOG_LEVEL: 'warn' }, account: { autoCreateCompanies: true }, timings: timingsWith({ groups: { syncGatherMs: GATHER_MS } }, TEST_TIMINGS) });
    await provisionPortalProperties(world.ctx, world.portal.portalId);
    const channelId = world.account.channel.channelId;
    const { groups } = buildGroupBurst(world.line);
    for (const g of groups) await world.line.joinGroup(channelId, g.groupId);
    await world.idle();
    const owner = world.portal.addOwner({ email: 'sales@supplier.example', firstName: 'Sato' });
    for (const g of groups) {
      const company = world.portal.companies().find((c) => c.properties.line_group_id === g.groupId)!;
      world.portal.updateObject('companies', company.id, { hubspot_owner_id: owner.id });
    }
    return { channelId, burst: groupBurstEvents(world.line, channelId, groups) };
  }

  it(`costs at most ${MAX_CALLS_PER_MESSAGE} HubSpot calls per message`, async () => {
    const { channelId, burst } = await groupsWithCompanies();
    const before = world.hubspot.calls.length;
    expect(await deliverGroupBurst(world.line, channelId, burst)).toEqual([]);
    await world.idle(120_000);
    await expectGroupBurstComplete({ db: world.ctx.db, portal: world.portal, burst, accountId: world.account.id });
    const calls = world.hubspot.calls.slice(before).filter((c) => c.portalId === world.portal.portalId);
    const perMessage = calls.length / MESSAGES;
    const byEndpoint = Map.groupBy(calls, (c) => `${c.method} ${c.path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`);
    const counts = Object.fromEntries([...byEndpoint].map(([endpoint, list]) => [endpoint, list.length]));
    console.log(`HubSpot calls for ${MESSAGES} group messages: ${calls.length} (${perMessage.toFixed(3)} per message)`, counts);
    expect(perMessage).toBeLessThanOrEqual(MAX_CALLS_PER_MESSAGE);
  }, 180_000);

  it('loses and duplicates nothing when a third of HubSpot calls fail', async () => {
    const { channelId, burst } = await groupsWithCompanies();
    world.hubspot.faults.inject({ path: /^\/crm\//, status: 503, failRatio: 0.2 });
    world.hubspot.faults.inject({ path: /^\/crm\//, status: 429, failRatio: 0.125, headers: { 'Retry-After': '1' }, body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS', correlationId: '5f5a1c9e-2b8e-4f58-9b1a-0d6d0d3a0c11' } });
    expect(await deliverGroupBurst(world.line, channelId, burst)).toEqual([]);
    await world.idle(170_000);
    world.hubspot.faults.clear();
    expect(world.hubspot.calls.filter((c) => c.status >= 429).length).toBeGreaterThan(0);
    await expectGroupBurstComplete({ db: world.ctx.db, portal: world.portal, burst, accountId: world.account.id });
    const dead = await world.ctx.db('jobs').where({ state: 'dead' }).select('type', 'attempts', 'last_error');
    expect(dead, JSON.stringify(dead)).toEqual([]);
  }, 200_000);
});
