// What the backend keeps of LINE's webhook events: the payload (message text and all) only until the
// event is processed, nothing of an unsent message, and the row itself (which dedupes redeliveries)
// only for as long as finished jobs are kept.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../backend/src/db/database.ts';
import { purgeProcessedEvents } from '../../backend/src/inbound/event-retention.ts';
import { KEEP_FINISHED_MS } from '../../backend/src/jobs/worker.ts';
import { startTestBackend } from '../support/backend.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startInboundWorld, waitUntil, type InboundWorld } from '../support/inbound-world.ts';

const DAY_MS = 24 * 3_600_000;

describe('stored webhook events', () => {
  let world: InboundWorld | undefined;
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await world?.close();
    await db?.drop();
    world = db = undefined;
  });

  const storedEvent = (webhookEventId: string) => world!.ctx.db('inbound_events').where({ webhook_event_id: webhookEventId }).first();

  it('keeps no text of an unsent message, even while the message event waits to be retried', async () => {
    world = await startInboundWorld();
    const { line, hubspot, account, ctx } = world;
    const user = line.createUser({ displayName: 'Regretful' });
    await line.follow(account.channel.channelId, user.userId);
    await world.idle();
    // HubSpot refuses the message's contact update for good: its event is dead-lettered, payload still stored.
    hubspot.faults.inject({ method: 'POST', path: '/crm/v3/objects/contacts/batch/update', status: 400, times: 1 });
    const sent = await line.sendText(account.channel.channelId, user.userId, 'my card number is 4111 1111 1111 1111');
    await world.idle();
    const message = { webhookEventId: sent.events[0].webhookEventId, message: { id: String((sent.events[0].message as { id: string }).id) } };
    const deadJob = await ctx.db('jobs').where({ type: 'inbound.event', payload: JSON.stringify({ webhookEventId: message.webhookEventId }) }).first();
    expect(deadJob.state).toBe('dead');
    expect((await storedEvent(message.webhookEventId)).payload).toContain('4111 1111');

    const unsent = await line.unsend(account.channel.channelId, user.userId, message.message.id);
    await world.idle();
    const original = await storedEvent(message.webhookEventId);
    // Not just '4111': the event's millisecond timestamp can contain those digits (it did once, failing the suite).
    expect(original.payload).not.toContain('card number');
    expect(original.payload).not.toContain('4111 1111');
    expect(JSON.parse(original.payload)).toMatchObject({ type: 'message', webhookEventId: message.webhookEventId, message: { id: message.message.id, type: 'text' } });
    expect(JSON.parse(original.payload).message).not.toHaveProperty('text');
    expect((await storedEvent(unsent.events[0].webhookEventId)).payload).toBeNull();

    // The retried event is processed from what is left, and the message stays unsent.
    expect(await ctx.queue.retryDead({ ids: [Number(deadJob.id)] })).toBe(1);
    await world.idle();
    expect((await ctx.db('jobs').where({ id: deadJob.id }).first()).state).toBe('done');
    expect(await storedEvent(message.webhookEventId)).toMatchObject({ payload: null, outcome: 'handled' });
    expect(await ctx.db('messages').where({ line_message_id: message.message.id }).first()).toMatchObject({ status: 'unsent', text: null });
    const contact = hubspot.portal(world.portal.portalId).contacts().find((c) => c.properties.line_user_id === user.userId)!;
    expect(contact.properties.line_unanswered_message).toBe('[Unsent]');
  });

  it('drops the payload once an event is processed, still dedupes its redelivery, and deletes the row 7 days later', async () => {
    world = await startInboundWorld();
    const { line, account, ctx } = world;
    const user = line.createUser();
    await line.follow(account.channel.channelId, user.userId);
    const sent = await line.sendText(account.channel.channelId, user.userId, 'call me on 090-1234-5678');
    await world.idle();
    const rows = await ctx.db('inbound_events').where({ line_user_id: user.userId }).orderBy('id');
    expect(rows.map((r) => [r.type, r.outcome, r.payload])).toEqual([
      ['follow', 'handled', null],
      ['message', 'handled', null],
    ]);

    const webhookEventId = sent.events[0].webhookEventId;
    expect((await line.redeliver(account.channel.channelId, webhookEventId)).status).toBe(200);
    expect(await ctx.db('inbound_events').where({ webhook_event_id: webhookEventId })).toHaveLength(1);
    expect(await ctx.db('jobs').where({ type: 'inbound.event', payload: JSON.stringify({ webhookEventId }) })).toHaveLength(1);

    const processedAt = Math.max(...rows.map((r) => Number(r.processed_at)));
    expect(await purgeProcessedEvents(ctx, KEEP_FINISHED_MS, processedAt + 6 * DAY_MS)).toBe(0);
    expect(await purgeProcessedEvents(ctx, KEEP_FINISHED_MS, processedAt + KEEP_FINISHED_MS + 1)).toBe(2);
    expect(await ctx.db('inbound_events').where({ line_user_id: user.userId })).toHaveLength(0);
  });

  it('keeps unprocessed events, and a starting worker purges processed ones past the horizon', async () => {
    db = await createTestDatabase('sqlite');
    world = await startInboundWorld({ databaseUrl: db.url });
    const { line, hubspot, account } = world;
    const user = line.createUser();
    hubspot.faults.inject({ method: 'POST', path: '/crm/v3/objects/contacts/search', status: 400, times: 1 });
    const failed = await line.follow(account.channel.channelId, user.userId);
    await world.idle();
    const processed = await line.sendText(account.channel.channelId, user.userId, 'hello');
    await world.idle();
    const unprocessedId = failed.events[0].webhookEventId;
    const processedId = processed.events[0].webhookEventId;
    expect((await storedEvent(unprocessedId)).processed_at).toBeNull();
    expect((await storedEvent(processedId)).processed_at).not.toBeNull();
    await world.backend.stop();

    // Eight days on: both rows are old, only the processed one is past its horizon.
    const eightDaysAgo = Date.now() - 8 * DAY_MS;
    const direct = openDatabase(db.url);
    await direct('inbound_events').whereIn('webhook_event_id', [unprocessedId, processedId]).update({ received_at: eightDaysAgo });
    await direct('inbound_events').where({ webhook_event_id: processedId }).update({ processed_at: eightDaysAgo });
    await direct.destroy();
    const restarted = await startTestBackend({ databaseUrl: db.url, env: { ROLE: 'worker' } });
    try {
      await waitUntil(async () => (await restarted.ctx.db('inbound_events').where({ webhook_event_id: processedId })).length === 0, 'the processed event is purged');
      expect(await restarted.ctx.db('inbound_events').where({ webhook_event_id: unprocessedId })).toHaveLength(1);
      expect(restarted.logs.some((l) => l.msg === 'processed webhook events purged' && l.deleted === 1)).toBe(true);
    } finally {
      await restarted.stop();
    }
  });
});
