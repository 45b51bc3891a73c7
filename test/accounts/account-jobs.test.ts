// An account's failed jobs, as the settings page sees them, made the way production makes them: a LINE user
// writes, HubSpot refuses the contact for good, and the inbound job is dead-lettered. The settings page
// counts it on that account (not on the portal's other account), retries it, and removing the account
// removes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundEventJob } from '../../backend/src/inbound/inbound-event-job.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';
import { startInboundWorld, waitUntil, type InboundAccount, type InboundWorld } from '../support/inbound-world.ts';

describe.each(engines())('an account\'s failed jobs (%s)', (engine) => {
  let database: TestDatabase;
  let world: InboundWorld;
  let other: InboundAccount;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    world = await startInboundWorld({ databaseUrl: database.url });
    other = await world.connectAccount();
  });
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  const settings = async (path: string, method = 'GET') => world.hubspot.hubspotFetch(`${world.backend.url}${path}`, { portalId: world.portal.portalId, method }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const listed = async (accountId: number) => (await settings('/api/accounts')).body.accounts.find((a: { id: number }) => a.id === accountId);
  const deadInboundJobs = () => world.ctx.db('jobs').where({ type: inboundEventJob.type, state: 'dead' });

  /** A LINE user writes while HubSpot refuses every contact create (400): the inbound job can never succeed. */
  async function deadLetteredMessage(account: InboundAccount) {
    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts/batch/create', status: 400 });
    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts', method: 'POST', status: 400 });
    const user = world.line.createUser({ displayName: 'Refused Customer' });
    await world.line.sendText(account.channel.channelId, user.userId, 'hello?');
    await waitUntil(async () => (await deadInboundJobs()).length > 0, 'the inbound job to be dead-lettered');
    world.hubspot.faults.clear();
    return user;
  }

  it('a dead-lettered inbound event counts on its own account, carries that account, and is retried from the settings page', async () => {
    const user = await deadLetteredMessage(world.account);
    const [dead] = await deadInboundJobs();
    expect(Number(dead.line_account_id)).toBe(world.account.id);

    const mine = await listed(world.account.id);
    expect(mine.health.failedJobs).toMatchObject({ count: 1, recent: [{ id: Number(dead.id), type: inboundEventJob.type }] });
    expect((await listed(other.id)).health.failedJobs.count).toBe(0);

    expect((await settings(`/api/accounts/${other.id}/retry-failed`, 'POST')).body).toEqual({ retried: 0 });
    expect((await settings(`/api/accounts/${world.account.id}/retry-failed`, 'POST')).body).toEqual({ retried: 1 });
    await world.idle();
    expect(await deadInboundJobs()).toHaveLength(0);
    expect(world.portal.contacts().filter((c) => c.properties.line_user_id === user.userId)).toHaveLength(1);
    expect((await listed(world.account.id)).health.failedJobs.count).toBe(0);
  });

  it('removing an account removes its waiting and dead jobs, and only its own', async () => {
    await deadLetteredMessage(other);
    const jobsOf = async (accountId: number) => Number((await world.ctx.db('jobs').where({ line_account_id: accountId }).whereIn('state', ['queued', 'dead']).count({ n: '*' }).first())?.n);
    expect(await jobsOf(other.id)).toBeGreaterThan(0);
    const mineBefore = await world.ctx.db('jobs').where({ line_account_id: world.account.id }).count({ n: '*' }).first();
    expect((await settings(`/api/accounts/${other.id}`, 'DELETE')).status).toBe(200);
    expect(await jobsOf(other.id)).toBe(0);
    expect(await world.ctx.db('jobs').where({ line_account_id: world.account.id }).count({ n: '*' }).first()).toEqual(mineBefore);
  });
});
