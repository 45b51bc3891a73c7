// End to end: a LINE user writes through the LINE emulator, the webhook reaches the backend, the inbound
// feature stores the message (and links or creates the contact), and the open chat panel shows it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Button, Image, LoadingButton, Text, TextArea } from '@hubspot/ui-extensions';
import { provisionPortalProperties } from '../../backend/src/accounts/provision-properties-job.ts';
import { startChatWorld, type ChatWorld } from '../support/chat-world.ts';
import { renderCard, routeHubSpotFetch } from './card-harness.tsx';

async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('LINE to chat panel, end to end', () => {
  let world: ChatWorld;

  beforeAll(async () => {
    world = await startChatWorld();
    // The LINE contact properties the inbound feature searches and writes (done by the install feature in production).
    await provisionPortalProperties(world.backend.ctx, world.portalId);
    routeHubSpotFetch(world, { portalId: () => world.portalId, agent: () => ({ userId: 5, userEmail: 'agent@example.com' }) });
  });
  afterAll(async () => {
    // Workers are shared between test files: the next file must not find hubspot.fetch routed here.
    vi.unstubAllGlobals();
    await world?.close();
  });

  it('shows what the customer writes in LINE, text and image, while the panel is open, and the answer reaches LINE', async () => {
    const channelId = world.account.channel.channelId;
    const user = world.line.createUser({ displayName: 'Sakura' });
    const follow = await world.line.follow(channelId, user.userId);
    expect(follow.status).toBe(200);
    const contactId = await eventually(async () => {
      const link = await world.backend.ctx.db('line_links').where({ line_user_id: user.userId }).whereNotNull('contact_id').first();
      return link ? Number(link.contact_id) : undefined;
    }, 'the inbound feature to link the new friend to a contact');

    const card = renderCard(world, contactId);
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, card.idOf('open-chat'))).not.toBeNull());
    card.open();
    await card.waitFor(() => expect(card.panel().maybeFind(Text, { testId: 'chat-counter' })).not.toBeNull());

    await world.line.sendText(channelId, user.userId, 'Hello from LINE!');
    const texts = () => card.panel().findAll(Text, (n) => String(n.props.testId ?? '').startsWith('message-text-')).map((t) => t.text);
    await card.waitFor(() => expect(texts()).toContain('Hello from LINE!'), { timeoutInMs: 10_000 });

    // The panel shows a long message whole, not the one-line summary the timeline and properties get.
    const long = `${'長いメッセージ。'.repeat(150)}end`;
    await world.line.sendText(channelId, user.userId, long);
    await card.waitFor(() => expect(texts()).toContain(long), { timeoutInMs: 10_000 });

    await world.line.sendImage(channelId, user.userId);
    const image = () => card.panel().maybeFind(Image, (n) => String(n.props.testId ?? '').startsWith('message-image-'));
    await card.waitFor(() => expect(image()).not.toBeNull(), { timeoutInMs: 10_000 });
    expect(image()!.props.src).toMatch(new RegExp(`^${world.backend.config.PUBLIC_BASE_URL}/media/`));

    card.panel().find(TextArea).trigger('onInput', 'Hi Sakura!' as never);
    await card.waitFor(() => expect(card.panel().find(LoadingButton).props.disabled).toBe(false));
    card.panel().find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(texts()).toContain('Hi Sakura!'));
    await card.waitFor(() => expect(card.panel().findAll(Text).some((t) => t.text === 'Sent')).toBe(true));
    const deliveries = world.line.received(channelId, user.userId);
    expect(deliveries.flatMap((d) => d.messages)).toContainEqual({ type: 'text', text: 'Hi Sakura!' });
    // The customer wrote moments ago, so the answer used the free reply API with the token inbound stored.
    expect(deliveries.map((d) => d.via)).toEqual(['reply']);
    card.close();
  });
});
