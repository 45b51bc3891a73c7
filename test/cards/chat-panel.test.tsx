// The chat panel: opening it, history and paging, sending, receiving while open, blocked users, failures
// and retries, two agents at once. hubspot.fetch reaches the real backend; LINE is the emulator.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Accordion, Alert, Button, Image, Link, LoadingButton, Panel, Select, StatusTag, Text, TextArea } from '@hubspot/ui-extensions';
import { updateLink } from '../../backend/src/contacts/links.ts';
import { markMediaUnavailable } from '../../backend/src/media/media-store.ts';
import { startChatWorld, type ChatWorld } from '../support/chat-world.ts';
import { FileUpload } from '@hubspot/ui-extensions/experimental';
import { renderCard, routeHubSpotFetch, unpermittedImageSources, type Agent } from './card-harness.tsx';

const AGENT_A: Agent = { userId: 101, userEmail: 'aiko@example.com' };
const AGENT_B: Agent = { userId: 102, userEmail: 'ben@example.com' };

describe('LINE chat panel', () => {
  let world: ChatWorld;
  let agent = AGENT_A;
  let channelId: string;
  /** Lost answers of the next sends (HubSpot retries once after the first). */
  let loseSends: number[] = [];

  beforeAll(async () => {
    world = await startChatWorld();
    channelId = world.account.channel.channelId;
    world.hubspot.portal(world.portalId).addUser({ id: AGENT_A.userId, email: AGENT_A.userEmail, firstName: 'Aiko', lastName: 'Sato' });
    routeHubSpotFetch(world, { portalId: () => world.portalId, agent: () => agent, lostAnswers: (method, url) => (method === 'POST' && new URL(url).pathname.endsWith('/messages') ? (loseSends.shift() ?? 0) : 0) });
  });
  afterAll(async () => {
    // Workers are shared between test files: the next file must not find hubspot.fetch routed here.
    vi.unstubAllGlobals();
    await world?.close();
  });

  async function openChat(contactId: number, locale?: string) {
    const card = renderCard(world, contactId, { locale });
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, card.idOf('open-chat'))).not.toBeNull());
    card.open();
    await card.waitFor(() => expect(card.panel().maybeFind(Text, { testId: 'chat-counter' })).not.toBeNull());
    return card;
  }
  type Card = Awaited<ReturnType<typeof openChat>>;
  /** Matches nodes whose test id starts with `prefix` (bubble test ids end with the message id). */
  const withTestId = (prefix: string) => (node: { props: { testId?: string } }) => String(node.props.testId ?? '').startsWith(prefix);
  const bubbleTexts = (card: Card) => card.panel().findAll(Text, withTestId('message-text-')).map((t) => t.text);
  const write = (card: Card, text: string) => card.panel().find(TextArea).trigger('onInput', text as never);
  const pressSend = (card: Card) => card.panel().find(LoadingButton).trigger('onClick');
  const delivered = (lineUserId: string) => world.line.received(channelId, lineUserId).flatMap((d) => d.messages.map((m) => (m as { text?: string }).text));

  it('opens on the newest messages and pages back on demand', async () => {
    const user = await world.linkUser({ displayName: 'Hanako' });
    for (let i = 1; i <= 35; i++) await world.insertMessage(user, { direction: i % 3 ? 'inbound' : 'outbound', text: `message ${i}`, senderName: 'aiko@example.com' });
    const event = world.line.events.text(channelId, user.lineUserId, 'latest');
    await world.insertMessage(user, { direction: 'inbound', text: 'latest', markAsReadToken: String((event as any).message.markAsReadToken) });
    const card = await openChat(user.contactId);
    // The first page of the file also asks HubSpot for the rep's name (user:1), on a cold backend.
    await card.waitFor(() => expect(bubbleTexts(card).at(-1)).toBe('latest'), { timeoutInMs: 5000 });
    expect(bubbleTexts(card)).toHaveLength(30);
    expect(bubbleTexts(card)[0]).toBe('message 7');
    card.panel().find(Button, { testId: 'chat-load-older' }).trigger('onClick');
    // One check for both: the renderer can show the older page's first bubble before the rest of it.
    await card.waitFor(() => {
      expect(bubbleTexts(card)[0]).toBe('message 1');
      expect(bubbleTexts(card)).toHaveLength(36);
    });
    expect(card.panel().maybeFind(Button, { testId: 'chat-load-older' })).toBeNull();
    card.close();
  });

  it('marks the customer\'s messages read when the rep starts answering, not when the panel opens', async () => {
    const user = await world.linkUser();
    const readRequests = () => world.hubspot.fetches.filter((f) => f.method === 'POST' && f.path === `/api/contacts/${user.contactId}/messages/read`);
    const readMarks = () => world.line.readMarks(channelId).filter((m) => m.userId === user.lineUserId);
    const readAt = async () => (await world.backend.ctx.db('messages').where({ line_user_id: user.lineUserId, direction: 'inbound' }).orderBy('id')).map((r: any) => r.read_at);
    const receive = async (text: string) => {
      const event = world.line.events.text(channelId, user.lineUserId, text);
      await world.insertMessage(user, { direction: 'inbound', text, markAsReadToken: String((event as any).message.markAsReadToken) });
    };
    await receive('is it in stock?');
    const card = await openChat(user.contactId);
    await card.waitFor(() => expect(bubbleTexts(card)).toEqual(['is it in stock?']));
    // A message shown through the live updates proves the panel has settled after opening.
    await receive('the blue one');
    await card.waitFor(() => expect(bubbleTexts(card)).toEqual(['is it in stock?', 'the blue one']), { timeoutInMs: 5000 });
    expect(readRequests()).toEqual([]);
    expect(await readAt()).toEqual([null, null]);
    write(card, 'Let me check');
    await card.waitFor(() => expect(readMarks()).toHaveLength(1));
    await vi.waitFor(async () => expect((await readAt()).every((at) => at !== null)).toBe(true));
    write(card, 'Let me check for you');
    pressSend(card);
    await card.waitFor(() => expect(bubbleTexts(card)).toContain('Let me check for you'));
    // Everything shown was read already: typing on and sending ask nothing more of LINE.
    expect(readRequests()).toHaveLength(1);
    card.close();
  });

  it('shows every kind of bubble: sticker, image, file, location, alt text, unsent, sender and state', async () => {
    const user = await world.linkUser();
    await world.insertMessage(user, { direction: 'inbound', type: 'sticker', text: null, payload: { type: 'sticker', packageId: '11537', stickerId: '52002734' } });
    await world.insertMessage(user, { direction: 'inbound', type: 'image', text: null, payload: { type: 'image', contentProvider: { type: 'external', originalContentUrl: 'https://example.com/a.jpg', previewImageUrl: 'https://example.com/a-small.jpg' } } });
    await world.insertMessage(user, { direction: 'inbound', type: 'file', text: null, payload: { type: 'file', fileName: 'invoice.pdf', fileSize: 20480 }, lineMessageId: '9001' });
    const lost = await world.insertMessage(user, { direction: 'inbound', type: 'file', text: null, payload: { type: 'file', fileName: 'old.zip', fileSize: 10 }, lineMessageId: '9002' });
    await markMediaUnavailable(world.backend.ctx, { messageId: lost, portalId: world.portalId, error: 'gone' });
    await world.insertMessage(user, { direction: 'inbound', type: 'location', text: null, payload: { type: 'location', title: 'Shibuya store', address: 'Tokyo', latitude: 35.66, longitude: 139.7 } });
    await world.insertMessage(user, { direction: 'outbound', type: 'flex', text: 'Your receipt', payload: { type: 'flex', altText: 'Your receipt', contents: {} }, sentBy: 'workflow:cb-1', senderName: 'Receipt workflow' });
    await world.insertMessage(user, { direction: 'inbound', text: 'oops', status: 'unsent' });
    const card = await openChat(user.contactId);
    await card.waitFor(() => expect(card.panel().maybeFind(Text, withTestId('message-unsent-'))).not.toBeNull());
    const panel = card.panel();
    expect(panel.find(Image, withTestId('message-sticker-')).props.src).toBe('https://stickershop.line-scdn.net/stickershop/v1/sticker/52002734/android/sticker.png');
    expect(panel.find(Image, withTestId('message-image-')).props.src).toBe('https://example.com/a-small.jpg');
    expect(panel.find(Image, withTestId('message-image-')).props.href).toEqual({ url: 'https://example.com/a.jpg', external: true });
    const file = panel.find(Link, withTestId('message-file-'));
    expect(file.text).toBe('invoice.pdf (20.0 KB)');
    expect(file.props.href).toMatchObject({ url: expect.stringMatching(new RegExp(`^${world.backend.config.PUBLIC_BASE_URL}/media/`)) });
    expect(panel.findAll(Text).some((t) => t.text === 'old.zip (10 B): No longer available from LINE')).toBe(true);
    expect(panel.find(Link, withTestId('message-location-')).props.href).toMatchObject({ url: expect.stringContaining('35.66%2C139.7') });
    expect(panel.find(Text, withTestId('message-alt-')).text).toBe('Your receipt');
    expect(panel.findAll(Text).some((t) => t.text?.startsWith('Receipt workflow (workflow) · '))).toBe(true);
    expect(panel.find(Text, withTestId('message-unsent-')).text).toBe('The customer unsent this message.');
    card.close();
  });

  /** Noon `days` days before today, local time: on that day whatever the time of the run. */
  const noonDaysAgo = (days: number) => {
    const today = new Date();
    return new Date(today.getFullYear(), today.getMonth(), today.getDate() - days, 12, 0).getTime();
  };
  const daySeparators = (card: Card) => card.panel().findAll(Text, withTestId('chat-day-')).map((t) => t.text);
  const bubbleTimes = (card: Card) => card.panel().findAll(Text, (t) => / · /.test(t.text ?? '')).map((t) => t.text);

  it('separates days in the conversation and shows the customer\'s LINE name and only the clock time on bubbles', async () => {
    const user = await world.linkUser({ displayName: 'はなこ🌸' });
    await world.insertMessage(user, { direction: 'inbound', text: 'three days ago', createdAt: noonDaysAgo(3) });
    await world.insertMessage(user, { direction: 'outbound', text: 'same day', createdAt: noonDaysAgo(3) + 60_000, senderName: 'Aiko Sato' });
    await world.insertMessage(user, { direction: 'inbound', text: 'yesterday', createdAt: noonDaysAgo(1) });
    await world.insertMessage(user, { direction: 'inbound', text: 'today', createdAt: Date.now() });
    const card = await openChat(user.contactId);
    await card.waitFor(() => expect(bubbleTexts(card)).toHaveLength(4));
    expect(daySeparators(card)).toEqual([expect.stringMatching(/^[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}(, \d{4})?$/), 'Yesterday', 'Today']);
    expect(bubbleTimes(card)).toEqual([/^はなこ🌸 · 12:00\sPM$/, /^Aiko Sato · 12:01\sPM$/, /^はなこ🌸 · 12:00\sPM$/, /^はなこ🌸 · [1-9]\d?:\d\d\s[AP]M$/].map((pattern) => expect.stringMatching(pattern)));
    card.close();
    const japanese = await openChat(user.contactId, 'ja-JP');
    await japanese.waitFor(() => expect(bubbleTexts(japanese)).toHaveLength(4));
    expect(daySeparators(japanese)).toEqual([expect.stringMatching(/^(\d{4}年)?\d{1,2}月\d{1,2}日\(.\)$/), '昨日', '今日']);
    expect(bubbleTimes(japanese).slice(0, 3)).toEqual(['はなこ🌸 · 12:00', 'Aiko Sato · 12:01', 'はなこ🌸 · 12:00']);
    japanese.close();
  });

  it.each([
    ['en-US', /^Waiting for a reply since .+ \(38 min ago\)$/, 'Is the blue one in stock? (+2 more)', 'Unanswered', 'The customer unsent this message.'],
    ['ja-JP', /^.+ から返信待ち（38分前）$/, 'Is the blue one in stock?（ほか 2 件）', '未返信', '送信者がメッセージの送信を取り消しました'],
  ])('pins the question the customer waits on and marks their unanswered messages until the rep replies (%s)', async (locale, title, question, tag, unsent) => {
    const user = await world.linkUser();
    await world.insertMessage(user, { direction: 'inbound', text: 'Hello', createdAt: Date.now() - 60 * 60_000 });
    await world.insertMessage(user, { direction: 'outbound', text: 'Hello, how can we help?', createdAt: Date.now() - 50 * 60_000 });
    await world.insertMessage(user, { direction: 'outbound', text: 'not delivered', status: 'failed', createdAt: Date.now() - 49 * 60_000 });
    const asked = await world.insertMessage(user, { direction: 'inbound', text: 'Is the blue one in stock?', createdAt: Date.now() - 38 * 60_000 - 5_000 });
    await world.insertMessage(user, { direction: 'inbound', text: 'taken back', status: 'unsent', createdAt: Date.now() - 37 * 60_000 });
    const sticker = await world.insertMessage(user, { direction: 'inbound', type: 'sticker', text: null, payload: { type: 'sticker', packageId: '446', stickerId: '1988' } });
    const again = await world.insertMessage(user, { direction: 'inbound', text: 'hello?' });
    const card = await openChat(user.contactId, locale);
    await card.waitFor(() => expect(card.panel().maybeFind(Alert, { testId: 'chat-waiting' })).not.toBeNull());
    // HubSpot's guidance: an overlay panel as a modal, for screen readers and keyboard focus.
    expect(card.panel().find(Panel).props.variant).toBe('modal');
    const pinned = card.panel().find(Alert, { testId: 'chat-waiting' });
    expect(pinned.props.title).toMatch(title);
    expect(pinned.text).toBe(question);
    const marked = () => card.panel().findAll(StatusTag, withTestId('message-unanswered-')).map((t) => [t.props.testId, t.text]);
    expect(marked()).toEqual([asked, sticker, again].map((id) => [`message-unanswered-${id}`, tag]));
    // Taken back by the customer: what happened, in LINE's words, and nothing to answer.
    expect(card.panel().find(Text, withTestId('message-unsent-')).text).toBe(unsent);
    write(card, 'Yes, it is!');
    await card.waitFor(() => expect(card.panel().find(LoadingButton).props.disabled).toBe(false));
    pressSend(card);
    await card.waitFor(() => expect(card.panel().maybeFind(Alert, { testId: 'chat-waiting' })).toBeNull());
    expect(marked()).toEqual([]);
    card.close();
  });

  it('sends from the composer: counter, send disabled while sending, bubble with sender and state, composer cleared', async () => {
    const user = await world.linkUser();
    const card = await openChat(user.contactId);
    expect(card.panel().find(LoadingButton).props.disabled).toBe(true);
    write(card, 'Thanks for waiting!');
    await card.waitFor(() => expect(card.panel().find(Text, { testId: 'chat-counter' }).text).toBe('19 / 5000'));
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', delayMs: 200, times: 1 });
    pressSend(card);
    await card.waitFor(() => expect(card.panel().find(LoadingButton).props.loading).toBe(true));
    expect(card.panel().find(LoadingButton).props.disabled).toBe(true);
    await card.waitFor(() => expect(bubbleTexts(card)).toEqual(['Thanks for waiting!']));
    await card.waitFor(() => expect(card.panel().find(TextArea).props.value).toBe(''));
    await card.waitFor(() => expect(card.panel().findAll(Text).some((t) => t.text === 'Sent')).toBe(true));
    // The rep by the name HubSpot knows them by, not the email the signed request carries.
    expect(card.panel().findAll(Text).some((t) => t.text?.startsWith('Aiko Sato · '))).toBe(true);
    expect(delivered(user.lineUserId)).toEqual(['Thanks for waiting!']);
    expect(world.line.loadingShown(channelId).some((l) => l.chatId === user.lineUserId)).toBe(true);
    write(card, 'x'.repeat(5001));
    await card.waitFor(() => expect(card.panel().find(TextArea).props.validationMessage).toBe('A LINE message can have at most 5000 characters.'));
    expect(card.panel().find(LoadingButton).props.disabled).toBe(true);
    card.close();
  });

  it('shows a message the customer writes while the panel is open', async () => {
    const user = await world.linkUser();
    await world.insertMessage(user, { direction: 'inbound', text: 'first' });
    const card = await openChat(user.contactId);
    await card.waitFor(() => expect(bubbleTexts(card)).toEqual(['first']));
    await world.insertMessage(user, { direction: 'inbound', text: 'are you there?' });
    // Earlier tests' closed panels may still hold this portal's waiting slots: then the panel polls, and the
    // backend may space its polls up to 8 s apart while the portal's update requests pile up.
    await card.waitFor(() => expect(bubbleTexts(card)).toEqual(['first', 'are you there?']), { timeoutInMs: 10_000 });
    card.close();
  });

  it.each([
    ['en-US', 'This customer blocked your LINE account', 'New messages cannot be sent. The conversation so far stays here; reach the customer by email or phone.'],
    ['ja-JP', 'お客様が公式アカウントをブロックしています', '新しいメッセージは送信できません。これまでのやり取りはここで確認できます。メールか電話でご連絡ください。'],
  ])('keeps a blocked user\'s chat read-only (%s)', async (locale, title, text) => {
    const user = await world.linkUser({ followStatus: 'blocked' });
    await world.insertMessage(user, { direction: 'inbound', text: 'before blocking' });
    const card = renderCard(world, user.contactId, { locale });
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, card.idOf('open-chat'))).not.toBeNull());
    card.open();
    await card.waitFor(() => expect(bubbleTexts(card)).toEqual(['before blocking']));
    const alert = card.panel().find(Alert, { testId: card.idOf('chat-blocked') });
    expect([alert.props.title, alert.text]).toEqual([title, text]);
    expect(card.panel().maybeFind(TextArea)).toBeNull();
    card.close();
  });

  it('closes the composer as soon as the user blocks the account while the panel is open', async () => {
    const user = await world.linkUser();
    const card = await openChat(user.contactId);
    write(card, 'one more thing');
    await world.line.unfollow(channelId, user.lineUserId);
    // Other tests' closed panels may still hold this portal's waiting slots: then the next poll (at most 8 s away) brings it.
    await card.waitFor(() => expect(card.panel().maybeFind(Alert, { testId: card.idOf('chat-blocked') })).not.toBeNull(), { timeoutInMs: 10_000 });
    expect(card.panel().maybeFind(TextArea)).toBeNull();
    expect(card.panel().maybeFind(LoadingButton)).toBeNull();
    expect(delivered(user.lineUserId)).toEqual([]);
    card.close();
  });

  const stickersReceived = (lineUserId: string) => world.line.received(channelId, lineUserId).flatMap((d) => d.messages);
  const stickerPicture = (stickerId: string) => `https://stickershop.line-scdn.net/stickershop/v1/sticker/${stickerId}/android/sticker.png`;

  it.each([
    ['en-US', 'Stickers', 'Sticker set', ['LINE Characters: Pretty Phrases', 'LINE Characters: Making Amends', 'Moon: Special Edition'], 'LINE Characters: Pretty Phrases, sticker 1'],
    ['ja-JP', 'スタンプ', 'スタンプの種類', ['ゆる敬語★LINEキャラクターズ', '謝罪のプロ!LINEキャラクターズ', 'ムーン スペシャル'], 'ゆる敬語★LINEキャラクターズ のスタンプ 1'],
  ])('sends a sticker of LINE\'s list for bots with one click and shows it like any sent message (%s)', async (locale, title, setLabel, sets, firstAlt) => {
    const user = await world.linkUser();
    const card = await openChat(user.contactId, locale);
    expect(card.panel().find(Accordion, { testId: 'chat-stickers' }).props.title).toBe(title);
    const select = card.panel().find(Select, { testId: 'chat-sticker-set' });
    expect(select.props.label).toBe(setLabel);
    expect((select.props.options as Array<{ label: string }>).map((o) => o.label)).toEqual(sets);
    const first = card.panel().find(Image, { testId: 'chat-sticker-16581266' });
    expect([first.props.src, first.props.alt]).toEqual([stickerPicture('16581266'), firstAlt]);
    // Shown from LINE's sticker host, as received stickers are: one HubSpot lets the card load images from.
    expect(unpermittedImageSources(world, card.panel())).toEqual([]);
    select.trigger('onChange', '6136' as never);
    await card.waitFor(() => expect(card.panel().maybeFind(Image, { testId: 'chat-sticker-10551376' })).not.toBeNull());
    expect(card.panel().maybeFind(Image, { testId: 'chat-sticker-16581266' })).toBeNull();
    card.panel().find(Image, { testId: 'chat-sticker-10551380' }).trigger('onClick');
    await card.waitFor(() => expect(card.panel().maybeFind(Image, withTestId('message-sticker-'))?.props.src).toBe(stickerPicture('10551380')));
    await card.waitFor(() => expect(card.panel().findAll(Text).some((t) => t.text === (locale === 'en-US' ? 'Sent' : '送信済み'))).toBe(true));
    expect(stickersReceived(user.lineUserId)).toEqual([{ type: 'sticker', packageId: '6136', stickerId: '10551380' }]);
    card.close();
  });

  it('sends a sticker once when its answers are lost, and offers a retry when LINE refuses one', async () => {
    const user = await world.linkUser();
    const card = await openChat(user.contactId);
    const pick = (stickerId: string) => card.panel().find(Image, { testId: `chat-sticker-${stickerId}` }).trigger('onClick');
    loseSends = [2];
    pick('16581270');
    await card.waitFor(() => expect(card.panel().maybeFind(Alert, { testId: 'chat-send-error' })).not.toBeNull());
    pick('16581270');
    await card.waitFor(() => expect(card.panel().findAll(Image, withTestId('message-sticker-'))).toHaveLength(1));
    // The live updates may show the stored sticker before the send's own answer arrives.
    const sends = () => world.hubspot.fetches.filter((f) => f.method === 'POST' && f.path === `/api/contacts/${user.contactId}/messages`);
    await vi.waitFor(() => expect(sends().map((f) => [f.status, f.attempts])).toEqual([[0, 2], [200, 1]]));
    expect(stickersReceived(user.lineUserId)).toEqual([{ type: 'sticker', packageId: '8522', stickerId: '16581270' }]);

    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', status: 500, times: 1 });
    pick('16581271');
    await card.waitFor(() => expect(card.panel().maybeFind(Button, withTestId('message-retry-'))).not.toBeNull());
    expect(card.panel().findAll(Image, withTestId('message-sticker-')).map((i) => i.props.src)).toEqual([stickerPicture('16581270'), stickerPicture('16581271')]);
    card.panel().find(Button, withTestId('message-retry-')).trigger('onClick');
    await card.waitFor(() => expect(card.panel().maybeFind(Button, withTestId('message-retry-'))).toBeNull());
    await vi.waitFor(() =>
      expect(stickersReceived(user.lineUserId)).toEqual([
        { type: 'sticker', packageId: '8522', stickerId: '16581270' },
        { type: 'sticker', packageId: '8522', stickerId: '16581271' },
      ]),
    );
    await card.waitFor(() => expect(card.panel().findAll(Text).filter((t) => t.text === 'Sent')).toHaveLength(2));
    card.close();
  });

  it('shows a failed send with LINE\'s reason and a retry that delivers it once', async () => {
    const user = await world.linkUser();
    const card = await openChat(user.contactId);
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', status: 500, times: 1 });
    write(card, 'please arrive');
    await card.waitFor(() => expect(card.panel().find(LoadingButton).props.disabled).toBe(false));
    pressSend(card);
    await card.waitFor(() => expect(card.panel().maybeFind(Button, withTestId('message-retry-'))).not.toBeNull());
    expect(card.panel().findAll(Text).some((t) => /^LINE did not deliver this message \(LINE 500.*\)\. Retry it, or reach the customer another way\.$/.test(t.text ?? ''))).toBe(true);
    expect(card.panel().findAll(StatusTag).map((t) => t.text)).toContain('Failed');
    expect(delivered(user.lineUserId)).toEqual([]);
    card.panel().find(Button, withTestId('message-retry-')).trigger('onClick');
    await card.waitFor(() => expect(card.panel().maybeFind(Button, withTestId('message-retry-'))).toBeNull());
    await card.waitFor(() => expect(card.panel().findAll(Text).some((t) => t.text === 'Sent')).toBe(true));
    expect(delivered(user.lineUserId)).toEqual(['please arrive']);
    card.close();
  });

  it('words a failed delivery in Japanese without LINE\'s English reason', async () => {
    const user = await world.linkUser();
    const card = await openChat(user.contactId, 'ja-JP');
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', status: 500, times: 1 });
    write(card, '届きますように');
    await card.waitFor(() => expect(card.panel().find(LoadingButton).props.disabled).toBe(false));
    pressSend(card);
    await card.waitFor(() => expect(card.panel().maybeFind(Button, withTestId('message-retry-'))).not.toBeNull());
    const texts = card.panel().findAll(Text).map((t) => t.text ?? '');
    expect(texts).toContain('LINE でメッセージを配信できませんでした。再送するか、別の方法でご連絡ください。');
    expect(texts.some((t) => /LINE 500|Internal server error/.test(t))).toBe(false);
    expect(card.panel().find(Button, withTestId('message-retry-')).text).toBe('再送');
    card.close();
  });

  it('sends a message once when its answers are lost: HubSpot\'s retry and the agent\'s second press carry the same client id', async () => {
    const user = await world.linkUser();
    const card = await openChat(user.contactId);
    loseSends = [2];
    write(card, 'only once, please');
    await card.waitFor(() => expect(card.panel().find(LoadingButton).props.disabled).toBe(false));
    pressSend(card);
    await card.waitFor(() => expect(card.panel().maybeFind(Alert, { testId: 'chat-send-error' })).not.toBeNull());
    expect(card.panel().find(TextArea).props.value).toBe('only once, please');
    pressSend(card);
    await card.waitFor(() => expect(card.panel().find(TextArea).props.value).toBe(''));
    await card.waitFor(() => expect(bubbleTexts(card)).toEqual(['only once, please']));
    expect(delivered(user.lineUserId)).toEqual(['only once, please']);
    const sends = world.hubspot.fetches.filter((f) => f.method === 'POST' && f.path === `/api/contacts/${user.contactId}/messages`);
    expect(sends.map((f) => [f.status, f.attempts])).toEqual([[0, 2], [200, 1]]);
    card.close();
  });

  it('explains a refused send and keeps the text', async () => {
    const user = await world.linkUser();
    const card = await openChat(user.contactId);
    await updateLink(world.backend.ctx, { id: user.linkId, portalId: world.portalId }, { follow_status: 'blocked' }); // blocked after the card loaded
    write(card, 'hello?');
    await card.waitFor(() => expect(card.panel().find(LoadingButton).props.disabled).toBe(false));
    pressSend(card);
    await card.waitFor(() => expect(card.panel().maybeFind(Alert, { testId: 'chat-send-error' })).not.toBeNull());
    expect(card.panel().find(Alert, { testId: 'chat-send-error' }).text ?? '').toBe('Not sent: this customer has blocked your LINE account, so LINE cannot deliver messages. Reach them by email or phone.');
    expect(card.panel().find(TextArea).props.value).toBe('hello?');
    expect(delivered(user.lineUserId)).toEqual([]);
    card.close();
  });

  it('explains a refused send in Japanese, in the card\'s own words', async () => {
    const user = await world.linkUser();
    const card = await openChat(user.contactId, 'ja-JP');
    await updateLink(world.backend.ctx, { id: user.linkId, portalId: world.portalId }, { follow_status: 'blocked' });
    write(card, 'もしもし');
    await card.waitFor(() => expect(card.panel().find(LoadingButton).props.disabled).toBe(false));
    pressSend(card);
    await card.waitFor(() => expect(card.panel().maybeFind(Alert, { testId: 'chat-send-error' })).not.toBeNull());
    const alert = card.panel().find(Alert, { testId: 'chat-send-error' });
    expect(alert.props.title).toBe('送信できませんでした');
    expect(alert.text).toBe('送信できませんでした: お客様が LINE 公式アカウントをブロックしているため、メッセージは届きません。メールか電話でご連絡ください。');
    card.close();
  });

  it('offers saved texts (定型文) above the composer: a click fills the composer without sending, placeholders are flagged, the rest go in a menu', async () => {
    const user = await world.linkUser();
    const empty = await openChat(user.contactId, 'ja-JP');
    await empty.waitFor(() => expect(empty.panel().maybeFind(Text, { testId: 'chat-saved-texts-none' })).not.toBeNull());
    expect(empty.panel().find(Text, { testId: 'chat-saved-texts-none' }).text).toBe('定型文はまだありません。よく送る文章は、アプリ設定の「メッセージテンプレート」に登録できます。');
    empty.close();
    const saved = async (name: string, messages: object[]) => (await world.api('/api/templates', { body: { name, messages } })).body.template.id as number;
    const hours = await saved('01 Opening hours', [{ type: 'text', text: 'Hello {{contact.firstname}}, we are open 10:00-19:00.' }]);
    const thanks = await saved('02 Thanks', [{ type: 'text', text: 'Thank you for waiting.' }]);
    await saved('03 Welcome pack', [{ type: 'text', text: 'Welcome!' }, { type: 'sticker', packageId: '446', stickerId: '1988' }]);
    const others = [];
    for (const n of [4, 5, 6, 7, 8]) others.push(await saved(`0${n} Text ${n}`, [{ type: 'text', text: `Saved text ${n}` }]));
    const card = await openChat(user.contactId);
    await card.waitFor(() => expect(card.panel().maybeFind(Button, withTestId('chat-saved-text-'))).not.toBeNull());
    const buttons = card.panel().findAll(Button, withTestId('chat-saved-text-'));
    // Only one-text templates: the welcome pack (text and sticker) is for workflow steps.
    expect(buttons.map((b) => b.text)).toEqual(['01 Opening hours', '02 Thanks', '04 Text 4', '05 Text 5', '06 Text 6', '07 Text 7']);
    expect(buttons.every((b) => b.props.size === 'xs' && b.props.variant === 'secondary')).toBe(true);
    expect(card.panel().find(Select, { testId: 'chat-more-saved-texts' }).props.options).toEqual([{ label: '08 Text 8', value: others[4] }]);
    expect(card.panel().find(LoadingButton, { testId: 'chat-send' }).props.size).toBeUndefined();
    card.panel().find(Button, { testId: `chat-saved-text-${hours}` }).trigger('onClick');
    await card.waitFor(() => expect(card.panel().find(TextArea).props.value).toBe('Hello {{contact.firstname}}, we are open 10:00-19:00.'));
    expect(card.panel().find(Text, { testId: 'chat-tokens-as-written' }).text).toContain('sent exactly as written');
    card.panel().find(Button, { testId: `chat-saved-text-${thanks}` }).trigger('onClick');
    await card.waitFor(() => expect(card.panel().find(TextArea).props.value).toBe('Hello {{contact.firstname}}, we are open 10:00-19:00.\nThank you for waiting.'));
    card.panel().find(Select, { testId: 'chat-more-saved-texts' }).trigger('onChange', others[4] as never);
    await card.waitFor(() => expect(card.panel().find(TextArea).props.value).toMatch(/\nSaved text 8$/));
    expect(delivered(user.lineUserId)).toEqual([]);
    card.close();
  });

  it.each([
    ['en-US', 'Ready to send: shelf.png', 'Send file', 'Not sent: the file is private in HubSpot\'s file manager, so LINE cannot fetch it. Make it public there, or attach it again.'],
    ['ja-JP', '送信するファイル：shelf.png', 'ファイルを送信', '送信できませんでした: ファイルが HubSpot のファイルマネージャーで非公開になっているため、LINE から取得できません。公開にするか、もう一度添付してください。'],
  ])('sends an image and a PDF attached with HubSpot\'s file upload, and explains a file LINE cannot fetch (%s)', async (locale, ready, button, privateError) => {
    const user = await world.linkUser();
    const files = world.hubspot.portal(world.portalId);
    const photo = files.addFile({ name: 'shelf.png', size: 200 * 1024 });
    const pdf = files.addFile({ name: 'quote.pdf', size: 40 * 1024 });
    const secret = files.addFile({ name: 'secret.pdf', size: 1000, access: 'PRIVATE' });
    const card = await openChat(user.contactId, locale);
    const upload = card.panel().find(FileUpload);
    expect(upload.props.attachToRecord).toEqual({ objectTypeId: '0-1', objectId: user.contactId });
    /** What HubSpot's FileUpload hands the panel once the rep's file is in the file manager. */
    const uploaded = (file: { id: string; name: string; url: string }) => card.panel().find(FileUpload).trigger('onChange', [{ id: Number(file.id), name: file.name, url: file.url }] as never);
    uploaded(photo);
    await card.waitFor(() => expect(card.panel().maybeFind(Text, { testId: 'chat-file-ready' })?.text).toBe(ready));
    expect(card.panel().find(Button, { testId: 'chat-send-file' }).text).toBe(button);
    expect(delivered(user.lineUserId)).toEqual([]);
    card.panel().find(Button, { testId: 'chat-send-file' }).trigger('onClick');
    // A send reads the file from HubSpot, then hands it to LINE: polled, as the renderer's waitFor may miss
    // the render that ends a send started outside it.
    const sendTimeout = { timeout: 10_000 };
    // Shown from the backend's signed media URL (permittedUrls.img lists it, not HubSpot's file hosts); opened where it lives.
    await vi.waitFor(() => expect(card.panel().maybeFind(Image, withTestId('message-image-'))?.props.src).toMatch(new RegExp(`^${world.backend.config.PUBLIC_BASE_URL}/media/`)), sendTimeout);
    expect(card.panel().find(Image, withTestId('message-image-')).props.href).toEqual({ url: photo.url, external: true });
    expect(unpermittedImageSources(world, card.panel())).toEqual([]);
    await vi.waitFor(() => expect(card.panel().maybeFind(Text, { testId: 'chat-file-ready' })).toBeNull(), sendTimeout);
    uploaded(pdf);
    await card.waitFor(() => expect(card.panel().maybeFind(Button, { testId: 'chat-send-file' })).not.toBeNull());
    card.panel().find(Button, { testId: 'chat-send-file' }).trigger('onClick');
    await vi.waitFor(() => expect(bubbleTexts(card)).toEqual([`📎 quote.pdf (40 KB)\n${pdf.url}`]), sendTimeout);
    await vi.waitFor(() => expect(card.panel().maybeFind(Text, { testId: 'chat-file-ready' })).toBeNull(), sendTimeout);
    uploaded(secret);
    await card.waitFor(() => expect(card.panel().maybeFind(Text, { testId: 'chat-file-ready' })?.text).toMatch(/secret\.pdf$/));
    card.panel().find(Button, { testId: 'chat-send-file' }).trigger('onClick');
    await vi.waitFor(() => expect(card.panel().maybeFind(Alert, { testId: 'chat-send-error' })?.text).toBe(privateError), sendTimeout);
    const sent = world.line.received(channelId, user.lineUserId).flatMap((d) => d.messages);
    expect(sent).toEqual([{ type: 'image', originalContentUrl: photo.url, previewImageUrl: photo.url }, { type: 'text', text: `📎 quote.pdf (40 KB)\n${pdf.url}` }]);
    card.close();
  });

  it('delivers two agents\' simultaneous messages once each, in the order they were stored', async () => {
    const user = await world.linkUser();
    const first = await openChat(user.contactId);
    const second = await openChat(user.contactId);
    write(first, 'from Aiko');
    write(second, 'from Ben');
    await first.waitFor(() => expect(first.panel().find(LoadingButton).props.disabled).toBe(false));
    await second.waitFor(() => expect(second.panel().find(LoadingButton).props.disabled).toBe(false));
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', delayMs: 300, times: 1 });
    agent = AGENT_A;
    pressSend(first);
    agent = AGENT_B;
    pressSend(second);
    agent = AGENT_A;
    const sentCount = (card: Card) => card.panel().findAll(Text).filter((t) => t.text === 'Sent').length;
    await first.waitFor(() => expect(sentCount(first)).toBe(2), { timeoutInMs: 5000 });
    await second.waitFor(() => expect(sentCount(second)).toBe(2), { timeoutInMs: 5000 });
    const rows = await world.backend.ctx.db('messages').where({ line_user_id: user.lineUserId, direction: 'outbound' }).orderBy('id');
    expect(rows.map((r: any) => [r.text, r.status, r.sent_by])).toEqual([
      ['from Aiko', 'sent', 'user:101'],
      ['from Ben', 'sent', 'user:102'],
    ]);
    expect(delivered(user.lineUserId)).toEqual(['from Aiko', 'from Ben']);
    expect(bubbleTexts(first)).toEqual(['from Aiko', 'from Ben']);
    first.close();
    second.close();
  });
});
