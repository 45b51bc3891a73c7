// The company card and its group chat panel, rendered with HubSpot's testing renderer while hubspot.fetch
// reaches the real backend (signed by the HubSpot emulator): picking a group to link, the linked group at a
// glance, unlinking, the chat with each member who wrote, sending, live updates, a group the account left,
// and failures; in English and in Japanese by the user's locale.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Alert, Button, ErrorState, Image, LoadingButton, Panel, Text, TextArea, Tile } from '@hubspot/ui-extensions';
import { createRenderer, type RenderedFragmentNode } from '@hubspot/ui-extensions/testing';
import { CompanyCard } from '../../src/app/cards/CompanyCard.tsx';
import { startWorkflowWorld, type WorkflowWorld } from '../support/workflow-world.ts';
import { routeHubSpotFetch } from './card-harness.tsx';

/** The machine running the suite may be busy: give each rendered change a few seconds. */
const SETTLE = { timeoutInMs: 5000 };

let w: WorkflowWorld;
beforeAll(async () => {
  w = await startWorkflowWorld();
  routeHubSpotFetch(w, { portalId: () => w.portalId, agent: () => ({ userId: 101, userEmail: 'aiko@example.com' }) });
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await w?.close();
});

function renderCompanyCard(companyId: number, o: { locale?: string; backendUrl?: string } = {}) {
  const renderer = createRenderer('crm.record.sidebar');
  renderer.render(<CompanyCard backendUrl={o.backendUrl ?? w.backend.url} companyId={companyId} locale={o.locale ?? 'en-US'} />);
  const panel = (): RenderedFragmentNode => renderer.findByTestId(Button, 'open-chat').props.overlay as RenderedFragmentNode;
  return {
    ...renderer,
    panel,
    open: () => panel().find(Panel).trigger('onOpen'),
    close: () => panel().find(Panel).trigger('onClose'),
  };
}
type Card = ReturnType<typeof renderCompanyCard>;
const withTestId = (prefix: string) => (node: { props: { testId?: string } }) => String(node.props.testId ?? '').startsWith(prefix);
const bubbleTexts = (card: Card) => card.panel().findAll(Text, withTestId('message-text-')).map((t) => t.text);
const texts = (node: { findAll: Card['findAll'] }) => node.findAll(Text).map((t) => t.text);

async function memberWrites(groupId: string, userId: string, text: string) {
  await w.line.sendText(w.account.channel.channelId, userId, text, { groupId });
  await w.idle();
}

describe('company card', () => {
  it('lists the account\'s groups not linked yet with their last message, links the one picked, and unlinks it', async () => {
    const group = await w.addLinkedGroup({ link: false });
    await memberWrites(group.groupId, group.memberIds[0], 'Could you send the invoice?');
    const card = renderCompanyCard(group.companyId);
    await card.waitFor(() => expect(card.maybeFindByTestId(Text, 'group-not-linked')).not.toBeNull(), SETTLE);
    expect(card.findByTestId(Text, 'group-not-linked').text).toBe('This company is not linked to a LINE group of this account yet.');
    const choice = card.find(Tile, { testId: `unlinked-group-${group.groupId}` });
    expect(texts(choice)).toContain('“Could you send the invoice?”');
    card.findByTestId(LoadingButton, `link-group-${group.groupId}`).trigger('onClick');
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, 'open-chat')).not.toBeNull(), SETTLE);
    expect(card.findByTestId(Button, 'open-chat').text).toBe('Open LINE chat');
    expect(card.findByTestId(Text, 'line-unanswered-text').text).toBe('Could you send the invoice?');
    expect(card.findByTestId(LoadingButton, 'unlink-group').text).toBe('Unlink group');

    card.findByTestId(LoadingButton, 'unlink-group').trigger('onClick');
    await card.waitFor(() => expect(card.maybeFindByTestId(Text, 'group-not-linked')).not.toBeNull(), SETTLE);
    expect(card.maybeFindByTestId(LoadingButton, `link-group-${group.groupId}`)).not.toBeNull();
  });

  it('speaks Japanese to a Japanese user, and says why a link was refused', async () => {
    const group = await w.addLinkedGroup({ link: false });
    const taken = await w.addLinkedGroup();
    const card = renderCompanyCard(group.companyId, { locale: 'ja-JP' });
    await card.waitFor(() => expect(card.maybeFindByTestId(Text, 'group-not-linked')).not.toBeNull(), SETTLE);
    expect(card.findByTestId(Text, 'group-not-linked').text).toBe('この会社はまだこのアカウントの LINE グループと連携していません。');
    expect(card.findByTestId(LoadingButton, `link-group-${group.groupId}`).text).toBe('連携する');
    // Another agent links the group to another company meanwhile: the card says so in Japanese.
    await w.hubspotFetch(`/api/companies/${taken.companyId}/line/${w.account.id}/unlink`, { portalId: w.portalId, body: {} });
    await w.hubspotFetch(`/api/companies/${taken.companyId}/line/${w.account.id}/link`, { portalId: w.portalId, body: { groupId: group.groupId } });
    card.findByTestId(LoadingButton, `link-group-${group.groupId}`).trigger('onClick');
    await card.waitFor(() => expect(card.maybeFindByTestId(Alert, 'group-link-error')).not.toBeNull(), SETTLE);
    expect(card.findByTestId(Alert, 'group-link-error').text).toContain('この LINE グループは別の会社と連携済みです');
  });

  it('shows an error with a retry when the backend cannot be reached', async () => {
    const card = renderCompanyCard(1, { backendUrl: 'http://127.0.0.1:9' });
    await card.waitFor(() => expect(card.maybeFindByTestId(ErrorState, 'line-card-error')).not.toBeNull(), SETTLE);
    expect(card.findByTestId(ErrorState, 'line-card-error').props.title).toBe('Could not load LINE data');
    expect(card.findAll(Button).map((b) => b.text)).toEqual(['Try again']);
  });
});

describe('group chat panel', () => {
  it('shows what each member wrote, sends to the group and shows new messages while open', async () => {
    const group = await w.addLinkedGroup({ members: 3 });
    await memberWrites(group.groupId, group.memberIds[0], 'Order #12 is late');
    await memberWrites(group.groupId, group.memberIds[2], 'Same for #13');
    const card = renderCompanyCard(group.companyId);
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, 'open-chat')).not.toBeNull(), SETTLE);
    card.open();
    await card.waitFor(() => expect(bubbleTexts(card)).toEqual(['Order #12 is late', 'Same for #13']), SETTLE);

    card.panel().find(TextArea).trigger('onInput', 'We are on it' as never);
    card.panel().find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(bubbleTexts(card)).toEqual(['Order #12 is late', 'Same for #13', 'We are on it']), SETTLE);
    await card.waitFor(() => expect(card.panel().findAll(Text).some((t) => t.text === 'Sent')).toBe(true), SETTLE);
    expect(w.line.received(w.account.channel.channelId, group.groupId).map((d) => d.messages)).toEqual([[{ type: 'text', text: 'We are on it' }]]);

    await w.line.sendText(w.account.channel.channelId, group.memberIds[1], 'Thank you!', { groupId: group.groupId });
    await card.waitFor(() => expect(bubbleTexts(card).at(-1)).toBe('Thank you!'), SETTLE);
    card.close();
  });

  it('sends a sticker to the group from the composer\'s picker and shows it as sent', async () => {
    const group = await w.addLinkedGroup();
    const card = renderCompanyCard(group.companyId);
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, 'open-chat')).not.toBeNull(), SETTLE);
    card.open();
    await card.waitFor(() => expect(card.panel().maybeFind(Image, { testId: 'chat-sticker-16581266' })).not.toBeNull(), SETTLE);
    card.panel().find(Image, { testId: 'chat-sticker-16581266' }).trigger('onClick');
    await card.waitFor(() => expect(card.panel().maybeFind(Image, withTestId('message-sticker-'))).not.toBeNull(), SETTLE);
    await card.waitFor(() => expect(card.panel().findAll(Text).some((t) => t.text === 'Sent')).toBe(true), SETTLE);
    expect(w.line.received(w.account.channel.channelId, group.groupId).map((d) => d.messages)).toEqual([[{ type: 'sticker', packageId: '8522', stickerId: '16581266' }]]);
    card.close();
  });

  it.each([
    ['en-US', 'Left the group', 'The LINE account is no longer in this group, so nothing can be sent to it. The history stays here.'],
    ['ja', 'グループから退出済み', 'LINE 公式アカウントはこのグループにもういないため、送信できません。履歴はここで確認できます。'],
  ])('says so and closes the composer when a send finds the account removed from the group (%s)', async (locale, title, notice) => {
    const group = await w.addLinkedGroup();
    const card = renderCompanyCard(group.companyId, { locale });
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, 'open-chat')).not.toBeNull(), SETTLE);
    card.open();
    await card.waitFor(() => expect(card.panel().maybeFind(TextArea)).not.toBeNull(), SETTLE);
    card.panel().find(TextArea).trigger('onInput', 'First answer' as never);
    card.panel().find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect([bubbleTexts(card), card.panel().find(TextArea).props.value]).toEqual([['First answer'], '']), SETTLE);
    // A member removes the account and the backend is not told: the next send finds out.
    w.line.events.leave(w.account.channel.channelId, group.groupId);
    card.panel().find(TextArea).trigger('onInput', 'Second answer' as never);
    card.panel().find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(card.panel().maybeFind(Alert, { testId: 'chat-group-left' })).not.toBeNull(), SETTLE);
    const alert = card.panel().find(Alert, { testId: 'chat-group-left' });
    expect([alert.props.title, alert.text]).toEqual([title, notice]);
    expect(card.panel().maybeFind(TextArea)).toBeNull();
    expect(card.findByTestId(Text, 'line-group-left-notice').text).toBe(notice);
    card.close();
  });

  it('shows the history of a group the account left, without a composer, in Japanese', async () => {
    const group = await w.addLinkedGroup();
    await memberWrites(group.groupId, group.memberIds[0], 'さようなら');
    await w.line.leaveGroup(w.account.channel.channelId, group.groupId);
    await w.idle();
    const card = renderCompanyCard(group.companyId, { locale: 'ja' });
    await card.waitFor(() => expect(card.maybeFindByTestId(Button, 'open-chat')).not.toBeNull(), SETTLE);
    expect(card.findByTestId(Button, 'open-chat').text).toBe('履歴を見る');
    card.open();
    await card.waitFor(() => expect(bubbleTexts(card)).toEqual(['さようなら']), SETTLE);
    expect(card.panel().find(Alert, { testId: 'chat-group-left' }).props.title).toBe('グループから退出済み');
    expect(card.panel().maybeFind(TextArea)).toBeNull();
    card.close();
  });
});
