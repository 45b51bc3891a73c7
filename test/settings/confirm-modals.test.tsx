// Removing an account and turning LINE Login off are confirmed in a danger modal with one primary
// (destructive) action and a Cancel; the result says what was removed and what was kept. English and Japanese,
// against the real backend.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Button, EmptyState, LoadingButton, Modal, Text } from '@hubspot/ui-extensions';
import type { RenderedFragmentNode } from '@hubspot/ui-extensions/testing';
import { installPortal } from '../support/installed-portal.ts';
import { startWorld, type World } from '../accounts/world.ts';
import { renderSettingsPage, type PageHarness } from './page-harness.tsx';

const WAIT = { timeoutInMs: 20_000 };

const modalOf = (page: PageHarness, buttonTestId: string) => (page.findByTestId(Button, buttonTestId).props.overlay as RenderedFragmentNode).find(Modal);

describe('settings page: destructive changes confirm in a modal and report what happened', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('sqlite');
  });
  afterAll(async () => {
    await w?.stop();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  async function connected(displayName: string) {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const { account } = await w.connect(portalId, w.newChannel({ displayName }).form);
    return { portalId, id: account.id as number };
  }

  it('removes an account only from its modal, and reports what was deleted and what stays', async () => {
    const { portalId, id } = await connected('Kanazawa Store');
    await w.backend.ctx.queue.enqueueMany([{ type: 'test.unhandled', payload: {}, portalId, lineAccountId: id }]);
    const page = renderSettingsPage(w, { portalId });
    await page.waitFor(() => page.findByTestId(Button, `remove-account-${id}`), WAIT);
    const button = page.findByTestId(Button, `remove-account-${id}`);
    expect([button.text, button.props.variant]).toEqual(['Remove this account', 'destructive']);
    const modal = modalOf(page, `remove-account-${id}`);
    expect(modal.props).toMatchObject({ id: `remove-account-modal-${id}`, title: 'Remove Kanazawa Store?', variant: 'danger' });
    expect(modal.find(Text).text).toContain('Contacts and their LINE properties stay in HubSpot');
    // One primary action, destructive; the other way out is Cancel, which closes the modal and changes nothing.
    expect(modal.findAll(LoadingButton).map((b) => [b.text, b.props.variant])).toEqual([['Remove account', 'destructive']]);
    modal.find(Button, { testId: `remove-account-cancel-${id}` }).trigger('onClick');
    expect(page.closeOverlay).toHaveBeenCalledWith(`remove-account-modal-${id}`);
    expect(await w.backend.ctx.db('line_accounts').where({ id })).toHaveLength(1);

    modalOf(page, `remove-account-${id}`).find(LoadingButton).trigger('onClick');
    await page.waitFor(() => page.findByTestId(EmptyState, 'accounts-empty'), WAIT);
    expect(await w.backend.ctx.db('line_accounts').where({ id })).toHaveLength(0);
    expect(page.closeOverlay).toHaveBeenCalledTimes(2);
    expect(page.addAlert).toHaveBeenCalledWith({
      message: 'Kanazawa Store was removed. Deleted from this app: its LINE links, conversation history and 1 waiting or failed job. Kept: the contacts and their LINE properties in HubSpot.',
      type: 'success',
    });
  });

  it('turns LINE Login off only from its modal, in Japanese, and says linked contacts stay', async () => {
    const { portalId, id } = await connected('金沢店');
    const loginChannel = w.line.createLoginChannel();
    expect((await w.call(portalId, 'PUT', `/api/accounts/${id}/login`, { channelId: loginChannel.channelId, channelSecret: loginChannel.channelSecret })).status).toBe(200);
    const page = renderSettingsPage(w, { portalId, locale: 'ja-JP' });
    await page.waitFor(() => page.findByTestId(Button, `login-clear-${id}`), WAIT);
    const modal = modalOf(page, `login-clear-${id}`);
    expect(modal.props).toMatchObject({ title: '金沢店 の LINE ログインをオフにしますか？', variant: 'danger' });
    expect(modal.findAll(LoadingButton).map((b) => [b.text, b.props.variant])).toEqual([['LINE ログインをオフにする', 'destructive']]);
    expect((await w.backend.ctx.db('line_accounts').where({ id }).first()).login_channel_id).toBe(loginChannel.channelId);

    modal.find(LoadingButton).trigger('onClick');
    await page.waitFor(() => expect(page.findAll(Button, { testId: `login-clear-${id}` })).toHaveLength(0), WAIT);
    expect((await w.backend.ctx.db('line_accounts').where({ id }).first()).login_channel_id).toBeNull();
    expect(page.closeOverlay).toHaveBeenCalledWith(`login-off-modal-${id}`);
    expect(page.addAlert).toHaveBeenCalledWith({
      message: '金沢店 の LINE ログインをオフにしました。連携済みのコンタクトはそのままです。ログインリンクと QR コードではお客様を連携できなくなりました。',
      type: 'success',
    });
  });
});
