// Text from any LINE user goes into HubSpot fields that HubSpot renders as HTML (task bodies, note
// bodies): it must arrive as text, never as markup.
import { afterEach, describe, expect, it } from 'vitest';
import type { SimUser } from '../emulators/line/index.ts';
import { startInboundWorld, type AccountOptions, type InboundWorld } from '../support/inbound-world.ts';

const HOSTILE = `<img src=x onerror=alert(1)><a href="https://evil">x</a> & it's 'quoted'`;
const ESCAPED = '&lt;img src=x onerror=alert(1)&gt;&lt;a href=&quot;https://evil&quot;&gt;x&lt;/a&gt; &amp; it&#39;s &#39;quoted&#39;';

describe('LINE text in HubSpot HTML', () => {
  let world: InboundWorld;
  afterEach(async () => {
    await world?.close();
  });

  async function start(account: AccountOptions) {
    world = await startInboundWorld({ portal: { owners: [{ email: 'sales@example.com', firstName: 'Sato' }] }, account });
  }

  async function messageFromOwnedContact(text: string): Promise<{ user: SimUser; contactId: string }> {
    const user = world.line.createUser({ displayName: '<b>Mallory</b>' });
    const contact = world.portal.createObject('contacts', { firstname: 'Mallory', line_user_id: user.userId, hubspot_owner_id: world.portal.owners[0].id });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.line.sendText(world.account.channel.channelId, user.userId, text);
    await world.idle();
    return { user, contactId: contact.id };
  }

  it('escapes the message in the owner task body, keeping its line breaks', async () => {
    await start({ timelineMode: 'off' });
    await messageFromOwnedContact(`${HOSTILE}\nsecond line`);
    const [task] = world.portal.tasks();
    expect(task.properties.hs_task_body).toBe(`${ESCAPED}<br>second line`);
    expect(task.properties.hs_task_body).not.toMatch(/<(img|a)\b/);
  });

  it('escapes the message and the LINE display name in the session note', async () => {
    await start({ timelineMode: 'notes', ownerTasks: false });
    await messageFromOwnedContact(HOSTILE);
    const [note] = world.portal.notes();
    expect(note.properties.hs_note_body).toContain(ESCAPED);
    expect(note.properties.hs_note_body).toContain('&lt;b&gt;Mallory&lt;/b&gt;');
    expect(note.properties.hs_note_body).not.toMatch(/<(img|a|b)\b/);
  });
});
