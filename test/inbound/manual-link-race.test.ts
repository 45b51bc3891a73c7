// A rep links a contact by hand while the inbound worker is finding or creating the LINE user's contact:
// the link keeps the rep's contact (links are filled, never moved: contacts/link-rule.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInboundWorld, type InboundWorld } from '../support/inbound-world.ts';

describe('a contact linked by hand while the worker resolves one', () => {
  let world: InboundWorld;
  beforeAll(async () => {
    world = await startInboundWorld({ env: { LOG_LEVEL: 'error' } });
  });
  afterAll(async () => {
    await world.close();
  });

  /** Holds the first request to `path` until the rep has linked `lineUserId` to a new contact by hand; answers that contact. */
  async function linkByHandDuring(path: string, follow: () => Promise<unknown>, lineUserId: string): Promise<string> {
    let arrived!: () => void;
    const atHubSpot = new Promise<void>((resolve) => (arrived = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    world.hubspot.faults.inject({ method: 'POST', path, times: 1, holdUntil: () => (arrived(), answered) });
    await follow();
    await atHubSpot;
    const chosen = world.portal.createObject('contacts', { firstname: 'Chosen', lastname: 'By Rep' });
    const res = await world.hubspot.hubspotFetch(`${world.backend.url}/api/contacts/${chosen.id}/line/${world.account.id}/link`, {
      portalId: world.portal.portalId,
      method: 'POST',
      body: { lineUserId },
    });
    expect(res.status).toBe(201);
    answer();
    await world.idle();
    return chosen.id;
  }

  const linkOf = (lineUserId: string) => world.ctx.db('line_links').where({ line_account_id: world.account.id, line_user_id: lineUserId }).first('contact_id', 'linked_via');

  it('keeps the rep’s contact when the search finds an imported one meanwhile', async () => {
    const user = world.line.createUser({ displayName: 'Searched Meanwhile' });
    world.portal.createObject('contacts', { firstname: 'Imported', line_user_id: user.userId });
    const chosen = await linkByHandDuring('/crm/v3/objects/contacts/search', () => world.line.follow(world.account.channel.channelId, user.userId), user.userId);
    expect(await linkOf(user.userId)).toEqual({ contact_id: Number(chosen), linked_via: 'manual' });
    expect(world.portal.contacts().find((c) => c.id === chosen)!.properties).toMatchObject({ line_user_id: user.userId, line_follow_status: 'following' });
  });

  it('keeps the rep’s contact when a contact is created for the LINE user meanwhile', async () => {
    const user = world.line.createUser({ displayName: 'Created Meanwhile' });
    const chosen = await linkByHandDuring('/crm/v3/objects/contacts/batch/create', () => world.line.follow(world.account.channel.channelId, user.userId), user.userId);
    expect(await linkOf(user.userId)).toEqual({ contact_id: Number(chosen), linked_via: 'manual' });
    expect(world.portal.contacts().find((c) => c.id === chosen)!.properties).toMatchObject({ line_user_id: user.userId, line_follow_status: 'following' });
  });
});
