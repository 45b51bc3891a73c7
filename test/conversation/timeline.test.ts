// The conversation on the contact timeline: app events when the portal has the app's event types,
// notes (one per 30-minute session, updated in place) when it has none or the account asks for notes.
import { afterEach, describe, expect, it } from 'vitest';
import type { SimUser } from '../emulators/line/index.ts';
import { startInboundWorld, type AccountOptions, type InboundWorld } from '../support/inbound-world.ts';

describe('timeline', () => {
  let world: InboundWorld;
  afterEach(async () => {
    await world?.close();
  });

  async function start(o: { hasAppEventTypes?: boolean; account?: AccountOptions; env?: Record<string, string> } = {}) {
    world = await startInboundWorld({ portal: { hasAppEventTypes: o.hasAppEventTypes ?? true }, account: o.account, env: o.env });
    return world;
  }
  const contactOf = (user: SimUser) => world.portal.contacts().find((c) => c.properties.line_user_id === user.userId)!;
  const notesOf = (contactId: string) =>
    world.portal.notes().filter((n) => world.portal.associations().some((a) => a.fromType === 'notes' && a.fromId === n.id && a.toType === 'contacts' && a.toId === contactId && a.types.some((s) => s.associationTypeId === 202)));

  it('logs each message as an app event of the configured type, received and sent', async () => {
    await start({ env: { HUBSPOT_APP_EVENT_RECEIVED: 'ae1_line_message_received', HUBSPOT_APP_EVENT_SENT: 'ae1_line_message_sent' } });
    const channelId = world.account.channel.channelId;
    const user = world.line.createUser({ displayName: 'Timeline' });
    await world.line.follow(channelId, user.userId);
    await world.line.sendText(channelId, user.userId, 'first');
    await world.line.sendImage(channelId, user.userId);
    await world.idle();
    await world.answer(user.userId, 'thanks!');
    const contactId = contactOf(user).id;
    const events = world.portal.timelineEvents().filter((e) => e.objectId === contactId);
    expect(events.map((e) => [e.api, e.eventType, e.tokens.message_type, e.tokens.message_text])).toEqual([
      ['2026-03', 'ae1_line_message_received', 'text', 'first'],
      ['2026-03', 'ae1_line_message_received', 'image', '[Image]'],
      ['2026-03', 'ae1_line_message_sent', 'text', 'thanks!'],
    ]);
    expect(events[0].tokens.line_account_name).toBe(world.account.channel.displayName);
    expect(world.portal.notes()).toHaveLength(0);
  });

  it('does not log the same message twice when its job runs again', async () => {
    await start();
    const channelId = world.account.channel.channelId;
    const user = world.line.createUser({ displayName: 'Twice' });
    await world.line.follow(channelId, user.userId);
    const sent = await world.line.sendText(channelId, user.userId, 'once');
    await world.idle();
    // The job ran (and its outcome was lost): run it again by re-queueing it.
    await world.ctx.db('jobs').where({ type: 'inbound.event', payload: JSON.stringify({ webhookEventId: sent.events[0].webhookEventId }) }).update({ state: 'queued', run_at: Date.now() });
    await world.idle();
    expect(world.portal.timelineEvents().filter((e) => e.objectId === contactOf(user).id)).toHaveLength(1);
    expect(await world.ctx.db('jobs').where({ state: 'dead' }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('falls back to notes when the portal has no app event types: one note per session, updated in place', async () => {
    await start({ hasAppEventTypes: false });
    const channelId = world.account.channel.channelId;
    const user = world.line.createUser({ displayName: 'Noted' });
    await world.line.follow(channelId, user.userId);
    await world.line.sendText(channelId, user.userId, 'hello <b>there</b>');
    await world.idle();
    await world.line.sendText(channelId, user.userId, 'second message');
    await world.idle();
    await world.answer(user.userId, 'we are open');
    const contactId = contactOf(user).id;
    let notes = notesOf(contactId);
    expect(notes).toHaveLength(1);
    expect(notes[0].properties.hs_note_body).toContain('hello &lt;b&gt;there&lt;/b&gt;');
    expect(notes[0].properties.hs_note_body).toContain('second message');
    expect(notes[0].properties.hs_note_body).toContain('we are open');
    expect(world.portal.timelineEvents()).toHaveLength(0);

    // More than 30 minutes later: a new session, a new note.
    world.line.clock.advance(31 * 60_000);
    await world.line.sendText(channelId, user.userId, 'back again');
    await world.idle();
    notes = notesOf(contactId);
    expect(notes).toHaveLength(2);
    expect(notes.find((n) => n.properties.hs_note_body.includes('back again'))!.properties.hs_note_body).not.toContain('second message');

    // An unsent message disappears from the session note.
    const secret = await world.line.sendText(channelId, user.userId, 'secret code 1234');
    await world.idle();
    await world.line.unsend(channelId, user.userId, String((secret.events[0].message as { id: string }).id));
    await world.idle();
    const latest = notesOf(contactId).find((n) => n.properties.hs_note_body.includes('back again'))!;
    expect(latest.properties.hs_note_body).not.toContain('secret code 1234');
    expect(latest.properties.hs_note_body).toContain('[Unsent]');
  });

  it('writes notes when the account asks for notes, and nothing when the timeline is off', async () => {
    await start({ account: { timelineMode: 'notes' } });
    const off = await world.connectAccount({ timelineMode: 'off' });
    const user = world.line.createUser({ displayName: 'Modes' });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.line.sendText(world.account.channel.channelId, user.userId, 'to notes');
    await world.line.follow(off.channel.channelId, user.userId);
    await world.line.sendText(off.channel.channelId, user.userId, 'to nowhere');
    await world.idle();
    const bodies = world.portal.notes().map((n) => n.properties.hs_note_body).join('\n');
    expect(bodies).toContain('to notes');
    expect(bodies).not.toContain('to nowhere');
    expect(world.portal.timelineEvents()).toHaveLength(0);
  });
});
