// The settings page as HubSpot starts it: Settings.tsx registers a callback with hubspot.extend, and HubSpot
// calls it with the user's context (locale, profile variables) and its actions. The callback is captured here
// (hubspot.extend replaced, everything else of @hubspot/ui-extensions real), rendered with the official
// renderer, and the page it draws speaks the user's language.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Button, Heading, LoadingButton, Modal, StatusTag, Text, hubspot } from '@hubspot/ui-extensions';
import type { RenderedFragmentNode } from '@hubspot/ui-extensions/testing';
import { installPortal } from '../support/installed-portal.ts';
import { startWorld, type World } from '../accounts/world.ts';
import { renderSettingsPage, type SettingsEntry } from './page-harness.tsx';

vi.mock('@hubspot/ui-extensions', async (importOriginal) => {
  const real = await importOriginal<typeof import('@hubspot/ui-extensions')>();
  return { ...real, hubspot: { ...real.hubspot, extend: vi.fn() } };
});

const WAIT = { timeoutInMs: 20_000 };

async function registeredEntry(): Promise<SettingsEntry> {
  await import('../../src/app/settings/Settings.tsx');
  const calls = vi.mocked(hubspot.extend).mock.calls;
  expect(calls).toHaveLength(1);
  return calls[0][0] as unknown as SettingsEntry;
}

describe('the settings entry point (hubspot.extend)', () => {
  let w: World;
  let entry: SettingsEntry;
  beforeAll(async () => {
    w = await startWorld('sqlite');
    entry = await registeredEntry();
  });
  afterAll(async () => {
    await w?.stop();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('draws the page in Japanese for a ja-JP user, with HubSpot\'s own actions wired in', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const { account } = await w.connect(portalId, w.newChannel({ displayName: '横浜店' }).form);
    const page = renderSettingsPage(w, { portalId, locale: 'ja-JP', entry });
    await page.waitFor(() => expect(page.findByTestId(StatusTag, `health-status-${account.id}`).text).toBe('正常'), WAIT);
    expect(page.findAll(Heading).map((h) => h.text)).toEqual(expect.arrayContaining(['LINE 公式アカウント', '横浜店', 'メッセージテンプレート']));
    expect(page.findByTestId(Text, `health-detail-${account.id}`).text).toBe('LINE がトークンを受け付け、Webhook も動作しており、失敗した処理はありません。');

    // The modal's Cancel reaches HubSpot's closeOverlay action.
    const modal = (page.findByTestId(Button, `remove-account-${account.id}`).props.overlay as RenderedFragmentNode).find(Modal);
    expect(modal.props.title).toBe('横浜店 を削除しますか？');
    expect(modal.find(LoadingButton).text).toBe('アカウントを削除');
    modal.find(Button, { testId: `remove-account-cancel-${account.id}` }).trigger('onClick');
    expect(page.closeOverlay).toHaveBeenCalledWith(`remove-account-modal-${account.id}`);
  });

  it('draws it in English for an en-US user', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const { account } = await w.connect(portalId, w.newChannel({ displayName: 'Yokohama Store' }).form);
    const page = renderSettingsPage(w, { portalId, locale: 'en-US', entry });
    await page.waitFor(() => expect(page.findByTestId(StatusTag, `health-status-${account.id}`).text).toBe('Healthy'), WAIT);
    expect(page.findAll(Heading).map((h) => h.text)).toEqual(expect.arrayContaining(['LINE Official Accounts', 'Yokohama Store', 'Message templates']));
  });
});
