// The LINE card keeps up while the record is open: a customer's new message, a block, a reply sent from
// the panel and a failed reply with its retry show on the card without a reload, and the card's own
// requests pause while a chat panel (which has the news already) is open. Rendered from the entry point
// LineCard.tsx registers with hubspot.extend; hubspot.fetch reaches the real backend; LINE is the emulator.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Button, LoadingButton, StatusTag, Text, TextArea } from '@hubspot/ui-extensions';
import { updateLink } from '../../backend/src/contacts/links.ts';
import { recordInboundMessage } from '../../backend/src/conversation/conversation-state.ts';
import { timingsWith } from '../../backend/src/timings.ts';
import { startChatWorld, type ChatWorld, type LinkedUser } from '../support/chat-world.ts';
import { TEST_TIMINGS } from '../support/test-timings.ts';
import { renderCard, routeHubSpotFetch } from './card-harness.tsx';

/** The card and panel answer through a real backend on a loaded 2-core machine: allow them time. */
const LIVE = { timeoutInMs: 10_000 };

describe('the LINE card stays true while the record is open', () => {
  let world: ChatWorld;
  let channelId: string;

  beforeAll(async () => {
    world = await startChatWorld({ timings: timingsWith({ chat: { cardRefreshMs: 100, cardRefreshesPerPortalPerSecond: 50 } }, TEST_TIMINGS) });
    channelId = world.account.channel.channelId;
    routeHubSpotFetch(world, { portalId: () => world.portalId, agent: () => ({ userId: 21, userEmail: 'rep@example.com' }) });
  });
  afterAll(async () => {
    // Workers are shared between test files: the next file must not find hubspot.fetch routed here.
    vi.unstubAllGlobals();
    await world?.close();
  });

  /** A customer's message, stored and recorded in the conversation state as the inbound worker does. */
  async function receive(user: LinkedUser, text: string) {
    const at = Date.now();
    const id = await world.insertMessage(user, { direction: 'inbound', text, createdAt: at });
    await recordInboundMessage(world.backend.ctx, world.portalId, user.linkId, { id, at, summary: text });
  }

  const statusRequests = (contactId: number) => world.hubspot.fetches.filter((f) => f.method === 'GET' && f.path === `/api/contacts/${contactId}/line`).length;

  it.each([
    ['en-US', 'Waiting for an answer', /^Last message just now/, 'Blocked'],
    ['ja-JP', '未返信', /^最終メッセージ: たった今/, 'ブロック中'],
  ])('shows a message that arrives and a block that happens while it is open (%s)', async (locale, waiting, lastMessage, blocked) => {
    const user = await world.linkUser({ displayName: 'Hanako' });
    const card = renderCard(world, user.contactId, { locale });
    await card.waitFor(() => expect(card.maybeFindByTestId(Text, card.idOf('line-user-name'))?.text).toBe('Hanako'), LIVE);
    expect(card.maybeFindByTestId(StatusTag, card.idOf('line-unanswered-badge'))).toBeNull();

    await receive(user, 'Is the blue one in stock?');
    await card.waitFor(() => expect(card.maybeFindByTestId(StatusTag, card.idOf('line-unanswered-badge'))?.text).toBe(waiting), LIVE);
    expect(card.findByTestId(Text, card.idOf('line-unanswered-text')).text).toBe('Is the blue one in stock?');
    expect(card.findByTestId(Text, card.idOf('line-last-message')).text).toMatch(lastMessage);

    await updateLink(world.backend.ctx, { id: user.linkId, portalId: world.portalId }, { follow_status: 'blocked' });
    await card.waitFor(() => expect(card.findByTestId(StatusTag, card.idOf('line-follow-status')).text).toBe(blocked), LIVE);
    expect(card.maybeFindByTestId(StatusTag, card.idOf('line-unanswered-badge'))).toBeNull();
  });

  it('clears the waiting badge after a reply from the panel, asks nothing while the panel is open, and catches up when it closes', async () => {
    const user = await world.linkUser({ displayName: 'Yuki' });
    await receive(user, 'Hello?');
    const card = renderCard(world, user.contactId);
    await card.waitFor(() => expect(card.maybeFindByTestId(StatusTag, card.idOf('line-unanswered-badge'))).not.toBeNull(), LIVE);
    card.open();
    await card.waitFor(() => expect(card.panel().maybeFind(TextArea)).not.toBeNull(), LIVE);

    card.panel().find(TextArea).trigger('onInput', 'Hi Yuki, yes!' as never);
    await card.waitFor(() => expect(card.panel().find(LoadingButton).props.disabled).toBe(false), LIVE);
    card.panel().find(LoadingButton).trigger('onClick');
    // The card behind the panel learns of the answer at once, though it does not poll meanwhile.
    await card.waitFor(() => expect(card.maybeFindByTestId(StatusTag, card.idOf('line-unanswered-badge'))).toBeNull(), LIVE);

    const whileOpen = statusRequests(user.contactId);
    await receive(user, 'Thanks! One more thing');
    const bubbles = () => card.panel().findAll(Text, (n) => String(n.props.testId ?? '').startsWith('message-text-')).map((t) => t.text);
    await card.waitFor(() => expect(bubbles()).toContain('Thanks! One more thing'), LIVE);
    // Several of the card's intervals pass with the panel open: the panel's updates are the only requests.
    await new Promise((resolve) => setTimeout(resolve, 5 * world.backend.config.timings.chat.cardRefreshMs));
    expect(statusRequests(user.contactId)).toBe(whileOpen);
    expect(card.maybeFindByTestId(StatusTag, card.idOf('line-unanswered-badge'))).toBeNull();

    card.close();
    await card.waitFor(() => expect(card.maybeFindByTestId(Text, card.idOf('line-unanswered-text'))?.text).toBe('Thanks! One more thing'), LIVE);
    expect(statusRequests(user.contactId)).toBeGreaterThan(whileOpen);
  });

  it.each([
    ['en-US', '1 reply not delivered', /^Last attempt just now \(([A-Z][a-z]{2} \d{1,2}, )?[1-9]\d?:\d\d\s[AP]M\)$/, 'Retry'],
    ['ja-JP', '1件の返信が届いていません', /^最終送信: たった今（(\d{1,2}月\d{1,2}日 )?[1-9]?\d:\d\d）$/, '再送'],
  ])('shows a reply LINE did not take and sends it again from the card, once (%s)', async (locale, notDelivered, lastAttempt, retry) => {
    const user = await world.linkUser({ displayName: 'Ken' });
    const card = renderCard(world, user.contactId, { locale });
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, card.idOf('open-chat'))).not.toBeNull(), LIVE);
    expect(card.maybeFindByTestId(StatusTag, card.idOf('line-undelivered-count'))).toBeNull();

    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', status: 500, times: 1 });
    card.open();
    await card.waitFor(() => expect(card.panel().maybeFind(TextArea)).not.toBeNull(), LIVE);
    card.panel().find(TextArea).trigger('onInput', 'Your order ships today' as never);
    await card.waitFor(() => expect(card.panel().find(LoadingButton).props.disabled).toBe(false), LIVE);
    card.panel().find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(card.maybeFindByTestId(StatusTag, card.idOf('line-undelivered-count'))?.text).toBe(notDelivered), LIVE);
    card.close();
    expect(card.findByTestId(Text, card.idOf('line-undelivered-at')).text).toMatch(lastAttempt);
    expect(world.line.received(channelId, user.lineUserId)).toEqual([]);

    const button = card.findByTestId(Button, card.idOf('line-undelivered-retry'));
    expect([button.text, button.props.variant]).toEqual([retry, 'secondary']);
    button.trigger('onClick');
    await card.waitFor(() => expect(card.maybeFindByTestId(StatusTag, card.idOf('line-undelivered-count'))).toBeNull(), LIVE);
    expect(world.line.received(channelId, user.lineUserId).flatMap((d) => d.messages)).toEqual([{ type: 'text', text: 'Your order ships today' }]);
  });

  it('counts several undelivered replies in English, and says so when LINE refuses the retry too', async () => {
    const user = await world.linkUser();
    const send = (text: string) => world.api(`/api/contacts/${user.contactId}/messages`, { body: { accountId: world.account.id, clientMessageId: crypto.randomUUID(), text } });
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', status: 500, times: 3 });
    await send('first');
    await send('second');
    const card = renderCard(world, user.contactId);
    await card.waitFor(() => expect(card.maybeFindByTestId(StatusTag, card.idOf('line-undelivered-count'))?.text).toBe('2 replies not delivered'), LIVE);
    card.findByTestId(Button, card.idOf('line-undelivered-retry')).trigger('onClick');
    await card.waitFor(() => expect(card.maybeFindByTestId(Text, card.idOf('line-undelivered-problem'))).not.toBeNull(), LIVE);
    expect(card.findByTestId(Text, card.idOf('line-undelivered-problem')).text).toBe('LINE still did not accept it. Try again in a few minutes, or open the chat to see why.');
    expect(card.findByTestId(StatusTag, card.idOf('line-undelivered-count')).text).toBe('2 replies not delivered');
    // The first failed again, so the second was not sent ahead of it.
    expect(world.line.received(channelId, user.lineUserId)).toEqual([]);
  });
});
