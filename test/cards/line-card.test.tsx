// The LINE card on the contact record, rendered with @hubspot/ui-extensions/testing, its hubspot.fetch
// calls signed by the HubSpot emulator and answered by the real backend talking to the LINE emulator.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Accordion, Alert, Button, EmptyState, ErrorState, Image, Input, LoadingSpinner, Panel, Select, StatusTag, Text } from '@hubspot/ui-extensions';
import { startChatWorld, type ChatWorld } from '../support/chat-world.ts';
import { renderCard, routeHubSpotFetch } from './card-harness.tsx';

describe('LINE card', () => {
  let world: ChatWorld;
  let portalId: number;

  beforeAll(async () => {
    world = await startChatWorld();
    portalId = world.portalId;
    routeHubSpotFetch(world, { portalId: () => portalId, agent: () => ({ userId: 11, userEmail: 'agent@example.com' }) });
  });
  afterAll(async () => {
    // Workers are shared between test files: the next file must not find hubspot.fetch routed here.
    vi.unstubAllGlobals();
    portalId = world.portalId;
    await world?.close();
  });

  it('shows the linked user: picture, name, friendship, the unanswered message and the last message time', async () => {
    const user = await world.linkUser({ displayName: 'Hanako' });
    await world.insertMessage(user, { direction: 'inbound', text: 'Is my order shipped?', createdAt: Date.now() - 38 * 60_000 });
    const card = renderCard(world, user.contactId);
    expect(card.findByTestId(LoadingSpinner, 'line-card-loading').props.label).toBe('Loading LINE data…');
    await card.waitFor(() => expect(card.maybeFindByTestId(Text, card.idOf('line-user-name'))?.text).toBe('Hanako'));
    expect(card.findByTestId(StatusTag, card.idOf('line-follow-status')).text).toBe('Friend');
    expect(card.findByTestId(Image, card.idOf('line-user-picture')).props.src).toMatch(/^https:\/\/profile\.line-scdn\.net\//);
    expect(card.findByTestId(StatusTag, card.idOf('line-unanswered-badge')).text).toBe('Waiting for an answer');
    expect(card.findByTestId(Text, card.idOf('line-unanswered-text')).text).toBe('Is my order shipped?');
    // Relative first, the absolute time after it: the clock with no leading zero, a date before it if that was yesterday.
    expect(card.findByTestId(Text, card.idOf('line-unanswered-since')).text).toMatch(/^Asked 38 min ago \(([A-Z][a-z]{2} \d{1,2}, )?[1-9]\d?:\d\d\s[AP]M\)$/);
    expect(card.findByTestId(Text, card.idOf('line-last-message')).text).toMatch(/^Last message 38 min ago \(([A-Z][a-z]{2} \d{1,2}, )?[1-9]\d?:\d\d\s[AP]M\)$/);
    expect(card.findByTestId(Button, card.idOf('open-chat')).text).toBe('Open LINE chat');
  });

  it('runs from the entry point HubSpot loads: the user\'s locale (ja-JP) picks Japanese, the record and BACKEND_URL come from the context', async () => {
    const user = await world.linkUser({ displayName: '花子' });
    await world.insertMessage(user, { direction: 'inbound', text: '在庫はありますか？', createdAt: Date.now() - 5 * 60_000 });
    const asked = world.hubspot.fetches.length;
    const card = renderCard(world, user.contactId, { locale: 'ja-JP' });
    expect(card.findByTestId(LoadingSpinner, 'line-card-loading').props.label).toBe('LINE の情報を読み込んでいます…');
    await card.waitFor(() => expect(card.maybeFindByTestId(StatusTag, card.idOf('line-follow-status'))?.text).toBe('友だち'));
    expect(card.findByTestId(StatusTag, card.idOf('line-unanswered-badge')).text).toBe('未返信');
    expect(card.findByTestId(Text, card.idOf('line-unanswered-since')).text).toMatch(/^5分前（.+）から返信待ち$/);
    expect(card.findByTestId(Button, card.idOf('open-chat')).text).toBe('LINE チャットを開く');
    // hubspot.fetch went to the profile's BACKEND_URL for the record HubSpot named in context.crm.objectId.
    expect(world.hubspot.fetches.slice(asked)).toContainEqual(expect.objectContaining({ method: 'GET', path: `/api/contacts/${user.contactId}/line`, status: 200 }));
  });

  it.each([
    ['en-US', 'Blocked', 'Blocked your LINE account: LINE messages no longer reach them. Use email or phone instead.', 'View history'],
    ['ja-JP', 'ブロック中', 'LINE 公式アカウントをブロックしているため、LINE のメッセージは届きません。メールか電話でご連絡ください。', '履歴を見る'],
  ])('shows a user who blocked the account as one state (%s): no waiting badge, email or phone suggested, chat demoted to its history', async (locale, tag, notice, button) => {
    const user = await world.linkUser({ followStatus: 'blocked' });
    await world.insertMessage(user, { direction: 'inbound', text: 'asked before blocking' });
    const card = renderCard(world, user.contactId, { locale });
    await card.waitFor(() => expect(card.maybeFindByTestId(StatusTag, card.idOf('line-follow-status'))?.text).toBe(tag));
    expect(card.findByTestId(Text, card.idOf('line-blocked-notice')).text).toBe(notice);
    expect(card.maybeFindByTestId(StatusTag, card.idOf('line-unanswered-badge'))).toBeNull();
    // The card itself raises no alert: the only one is inside the (closed) chat panel.
    expect(card.findAll(Alert).map((a) => a.props.testId)).toEqual([card.idOf('chat-blocked')]);
    const open = card.findByTestId(Button, card.idOf('open-chat'));
    expect([open.text, open.props.variant]).toEqual([button, 'secondary']);
  });

  it.each([
    ['en-US', (account: string) => `Open LINE chat: ${account}`],
    ['ja-JP', (account: string) => `${account} の LINE チャットを開く`],
  ])('gives a contact linked on two accounts one primary chat, the conversation waiting for an answer, each button naming its account (%s)', async (locale, label) => {
    portalId = await world.installPortal();
    const shop = await world.connectAccount(portalId);
    const support = await world.connectAccount(portalId);
    const onShop = await world.linkUser({ account: shop, displayName: 'Hanako' });
    const onSupport = await world.linkUser({ account: support, contactId: onShop.contactId, displayName: 'Hanako' });
    await world.insertMessage(onSupport, { direction: 'inbound', text: 'Can I change my booking?', createdAt: Date.now() - 3 * 60 * 60_000 }, support);
    // The newest message is on the shop account, but answered: the support question still waits.
    await world.insertMessage(onShop, { direction: 'inbound', text: 'Thanks!', createdAt: Date.now() - 20 * 60_000 }, shop);
    await world.insertMessage(onShop, { direction: 'outbound', text: 'You are welcome', createdAt: Date.now() - 10 * 60_000 }, shop);
    const card = renderCard(world, onShop.contactId, { locale });
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, card.idOf('open-chat', support.id))).not.toBeNull());
    const chat = (account: { id: number }) => card.findByTestId(Button, card.idOf('open-chat', account.id));
    expect([shop, support].map((account) => [chat(account).text, chat(account).props.variant])).toEqual([
      [label(shop.channel.displayName), 'secondary'],
      [label(support.channel.displayName), 'primary'],
    ]);
    // Each button opens the chat of the account it names.
    expect(card.panel(support.id).find(Panel).props.id).toBe(`line-chat-${support.id}`);
    portalId = world.portalId;
  });

  it('makes the chat with the newest message primary when nobody waits for an answer', async () => {
    portalId = await world.installPortal();
    const shop = await world.connectAccount(portalId);
    const support = await world.connectAccount(portalId);
    const onShop = await world.linkUser({ account: shop });
    const onSupport = await world.linkUser({ account: support, contactId: onShop.contactId });
    await world.insertMessage(onShop, { direction: 'outbound', text: 'Your order shipped', createdAt: Date.now() - 60_000 }, shop);
    await world.insertMessage(onSupport, { direction: 'outbound', text: 'Ticket closed', createdAt: Date.now() - 60 * 60_000 }, support);
    const card = renderCard(world, onShop.contactId);
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, card.idOf('open-chat', support.id))).not.toBeNull());
    expect([shop, support].map((account) => card.findByTestId(Button, card.idOf('open-chat', account.id)).props.variant)).toEqual(['primary', 'secondary']);
    portalId = world.portalId;
  });

  it('reads the waiting time relative in Japanese: 「38分前（13:11）から返信待ち」', async () => {
    const user = await world.linkUser({ displayName: '花子' });
    await world.insertMessage(user, { direction: 'inbound', text: '注文は発送されましたか？', createdAt: Date.now() - 38 * 60_000 });
    const card = renderCard(world, user.contactId, { locale: 'ja-JP' });
    await card.waitFor(() => expect(card.maybeFindByTestId(Text, card.idOf('line-user-name'))?.text).toBe('花子'));
    expect(card.findByTestId(StatusTag, card.idOf('line-unanswered-badge')).text).toBe('未返信');
    expect(card.findByTestId(Text, card.idOf('line-unanswered-since')).text).toMatch(/^38分前（(\d{1,2}月\d{1,2}日 )?[1-9]?\d:\d\d）から返信待ち$/);
    expect(card.findByTestId(Text, card.idOf('line-last-message')).text).toMatch(/^最終メッセージ: 38分前（(\d{1,2}月\d{1,2}日 )?[1-9]?\d:\d\d）$/);
  });

  it('shows a contact without a LINE user as one line and one secondary "Invite to link" opening a modal panel: copy the link, its QR code, the ID form under Advanced', async () => {
    const card = renderCard(world, 424242);
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, 'line-invite')).not.toBeNull());
    expect(card.findByTestId(Text, `line-not-linked-${world.account.id}`).text).toBe('This contact is not linked to a LINE user yet.');
    const button = card.findByTestId(Button, 'line-invite');
    expect([button.text, button.props.variant, button.props.size]).toEqual(['Invite to link', 'secondary', undefined]);
    // Nothing of the invitation itself is on the card: the form and the QR code are only in the panel.
    expect(card.findAll(Input)).toHaveLength(card.invite().findAll(Input).length);
    expect(card.findAll(Image)).toHaveLength(card.invite().findAll(Image).length);

    const panel = card.invite().find(Panel);
    expect([panel.props.variant, panel.props.title]).toEqual(['modal', 'Invite the customer to link LINE']);
    const loginUrl = `${world.backend.config.PUBLIC_BASE_URL}/line/login/${world.account.loginKey}`;
    expect(card.invite().find(Text, { testId: 'line-login-url' }).text).toBe(loginUrl);
    card.invite().find(Button, { testId: 'line-login-url-copy' }).trigger('onClick');
    await card.waitFor(() => expect(card.invite().find(Button, { testId: 'line-login-url-copy' }).text).toBe('Copied'));
    expect(card.copyTextToClipboard.mock.calls).toEqual([[loginUrl]]);
    // The QR code is a PNG the backend renders at a public, unguessable URL (an Image cannot send credentials).
    expect(card.invite().find(Image, { testId: 'line-login-qr' }).props.src).toBe(`${loginUrl}/qr.png`);
    const qr = await fetch(`${loginUrl}/qr.png`);
    expect([qr.status, qr.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(card.invite().find(Button, { testId: 'line-login-qr-png' }).props.href).toEqual({ url: `${loginUrl}/qr.png?download=1`, external: true });
    expect(card.invite().find(Button, { testId: 'line-login-qr-svg' }).props.href).toEqual({ url: `${loginUrl}/qr.svg?download=1`, external: true });

    const advanced = card.invite().find(Accordion, { testId: 'line-link-advanced' });
    expect(advanced.props.title).toBe('Advanced: link a known LINE user ID');
    advanced.find(Input, { testId: 'line-user-id-input' }).trigger('onInput', 'U123' as never);
    await card.waitFor(() => expect(card.invite().find(Input, { testId: 'line-user-id-input' }).props.validationMessage).toMatch(/32 hexadecimal/));
    expect(card.invite().find(Button, { testId: 'line-link-button' }).props.disabled).toBe(true);

    const lineUser = world.line.createUser({ displayName: 'Jiro' });
    world.line.events.follow(world.account.channel.channelId, lineUser.userId);
    card.invite().find(Input, { testId: 'line-user-id-input' }).trigger('onInput', lineUser.userId as never);
    await card.waitFor(() => expect(card.invite().find(Button, { testId: 'line-link-button' }).props.disabled).toBe(false));
    card.invite().find(Button, { testId: 'line-link-button' }).trigger('onClick');
    await card.waitFor(() => expect(card.maybeFindByTestId(Text, card.idOf('line-user-name'))?.text).toBe('Jiro'));
    await card.waitFor(() => expect(card.closeOverlay.mock.calls).toEqual([['line-invite']]));
    const row = await world.backend.ctx.db('line_links').where({ line_user_id: lineUser.userId }).first();
    expect(Number(row.contact_id)).toBe(424242);
    expect(card.refreshObjectProperties).toHaveBeenCalledTimes(1);
    expect(card.maybeFindByTestId(Button, 'line-invite')).toBeNull();
  });

  it('lists each unlinked account on one line and invites once, in Japanese, choosing the account in the panel', async () => {
    portalId = await world.installPortal();
    const first = await world.connectAccount(portalId);
    const second = await world.connectAccount(portalId);
    const linked = await world.linkUser({ account: second, displayName: '花子' });
    const third = await world.connectAccount(portalId);
    const card = renderCard(world, linked.contactId, { locale: 'ja-JP' });
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, 'line-invite')).not.toBeNull());
    expect(card.findByTestId(Text, `line-not-linked-${first.id}`).text).toBe(`${first.channel.displayName}: LINE 未連携`);
    expect(card.findByTestId(Text, `line-not-linked-${third.id}`).text).toBe(`${third.channel.displayName}: LINE 未連携`);
    expect(card.findByTestId(Text, card.idOf('line-user-name', second.id)).text).toBe('花子');
    expect(card.findAll(Button, { testId: 'line-invite' }).map((b) => b.text)).toEqual(['LINE 連携を案内']);

    expect(card.invite().find(Panel).props.title).toBe('お客様に LINE 連携を案内');
    const url = (account: { loginKey: string }) => `${world.backend.config.PUBLIC_BASE_URL}/line/login/${account.loginKey}`;
    const select = card.invite().find(Select, { testId: 'line-invite-account' });
    expect(select.props.label).toBe('LINE 公式アカウント');
    expect(select.props.options).toEqual([
      { label: first.channel.displayName, value: first.id },
      { label: third.channel.displayName, value: third.id },
    ]);
    expect(card.invite().find(Text, { testId: 'line-login-url' }).text).toBe(url(first));
    select.trigger('onChange', third.id as never);
    await card.waitFor(() => expect(card.invite().find(Text, { testId: 'line-login-url' }).text).toBe(url(third)));
    expect(card.invite().find(Button, { testId: 'line-login-url-copy' }).text).toBe('リンクをコピー');
    expect(card.invite().find(Accordion).props.title).toBe('詳細: 既知の LINE ユーザー ID で連携');
    portalId = world.portalId;
  });

  it('notices a link made elsewhere (a customer’s LINE Login) while it is open, shows it and refreshes the record’s properties', async () => {
    const card = renderCard(world, 525252);
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, 'line-invite')).not.toBeNull());
    expect(card.refreshObjectProperties).not.toHaveBeenCalled();
    await world.linkUser({ contactId: 525252, displayName: 'Linked By Login' });
    // Found by the card's next look, which the portal's other open cards may have spaced out.
    await card.waitFor(() => expect(card.maybeFindByTestId(Text, card.idOf('line-user-name'))?.text).toBe('Linked By Login'), { timeoutInMs: 10_000 });
    expect(card.refreshObjectProperties).toHaveBeenCalledTimes(1);
  });

  it('says plainly when no LINE account is connected, when loading fails, and when the app is not configured', async () => {
    portalId = await world.installPortal();
    const empty = renderCard(world, 1);
    await empty.waitFor(() => expect(empty.maybeFindByTestId(EmptyState, 'line-card-no-accounts')).not.toBeNull());

    portalId = world.hubspot.createPortal().portalId; // never installed: the backend answers 403
    const failing = renderCard(world, 1);
    await failing.waitFor(() => expect(failing.maybeFindByTestId(ErrorState, 'line-card-error')).not.toBeNull());
    expect(failing.findByTestId(ErrorState, 'line-card-error').find(Text).text).toBe('This HubSpot account cannot use the LINE app. Ask a super admin to install it.');
    portalId = world.portalId;
    failing.findByTestId(ErrorState, 'line-card-error').find(Button).trigger('onClick');
    await failing.waitFor(() => expect(failing.maybeFindByTestId(Button, 'line-invite')).not.toBeNull());

    const unconfigured = renderCard(world, 1, { backendUrl: '' });
    expect(unconfigured.findByTestId(ErrorState, 'line-card-not-configured').find(Text).text).toContain('BACKEND_URL');
  });
});
