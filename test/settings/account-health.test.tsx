// Each account opens on its health: one line saying it is healthy or what is wrong; a broken token leads
// with one alert whose button opens the "Replace token" form; every section is folded except the one that
// needs attention. In English and Japanese, against the real backend and the LINE emulator.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Accordion, Alert, Button, Input, LoadingButton, StatusTag, Text } from '@hubspot/ui-extensions';
import { installPortal } from '../support/installed-portal.ts';
import { startWorld, type World } from '../accounts/world.ts';
import { renderSettingsPage, type PageHarness } from './page-harness.tsx';

const WAIT = { timeoutInMs: 20_000 };
const SECTIONS = ['health', 'webhook', 'options', 'login', 'credentials', 'remove'];

const openSections = (page: PageHarness, id: number) =>
  SECTIONS.filter((section) => page.findByTestId(Accordion, `section-${section}-${id}`).props.open);

describe('settings page: each account opens on its health', () => {
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
    const { channel, form } = w.newChannel({ displayName });
    const { account } = await w.connect(portalId, form);
    return { portalId, channel, id: account.id as number };
  }

  it('says "Healthy" in one line and keeps every section folded', async () => {
    const { portalId, id } = await connected('Sendai Store');
    const page = renderSettingsPage(w, { portalId });
    await page.waitFor(() => expect(page.findByTestId(StatusTag, `health-status-${id}`).text).toBe('Healthy'), WAIT);
    expect(page.findByTestId(Text, `health-detail-${id}`).text).toBe('LINE accepts the token, the webhook works and no job failed.');
    expect(page.findAll(Alert, { testId: `token-alert-${id}` })).toHaveLength(0);
    expect(openSections(page, id)).toEqual([]);
    expect(SECTIONS.map((section) => page.findByTestId(Accordion, `section-${section}-${id}`).props.title)).toEqual([
      'Health and jobs', 'Webhook', 'Options', 'LINE Login (link LINE users to contacts)', 'Replace token or secret', 'Remove account',
    ]);
  });

  it('leads with one alert when LINE no longer accepts the token, opening "Replace token" from it', async () => {
    const { portalId, channel, id } = await connected('Hakata Store');
    w.line.channel(channel.channelId).accessToken = 'revoked-in-the-console';
    const page = renderSettingsPage(w, { portalId });
    await page.waitFor(() => expect(page.findByTestId(StatusTag, `health-status-${id}`).text).toBe('Needs attention'), WAIT);
    expect(page.findByTestId(StatusTag, `health-status-${id}`).props.variant).toBe('danger');
    expect(page.findByTestId(Text, `health-detail-${id}`).text).toBe('LINE no longer accepts the access token');
    expect(page.findAll(Alert).map((alert) => alert.props.title)).toEqual(["LINE no longer accepts this account's access token"]);
    expect(openSections(page, id)).toEqual(['credentials']);

    // Folded away by hand, the alert's button opens the form again.
    page.findByTestId(Accordion, `section-credentials-${id}`).trigger('onClick');
    await page.waitFor(() => expect(openSections(page, id)).toEqual([]), WAIT);
    const replace = page.findByTestId(Button, `token-alert-replace-${id}`);
    expect(replace.text).toBe('Replace token');
    replace.trigger('onClick');
    await page.waitFor(() => expect(openSections(page, id)).toEqual(['credentials']), WAIT);
    expect(page.findByTestId(Accordion, `section-credentials-${id}`).find(Input, { testId: `rotate-token-${id}` }).props.label).toBe('New channel access token');

    // The reissued token, once saved, is checked again with LINE: the account is healthy, the alert gone.
    channel.accessToken = 'N'.repeat(64);
    page.findByTestId(Input, `rotate-token-${id}`).trigger('onChange', channel.accessToken as never);
    page.findByTestId(LoadingButton, `rotate-save-${id}`).trigger('onClick');
    await page.waitFor(() => expect(page.findByTestId(StatusTag, `health-status-${id}`).text).toBe('Healthy'), WAIT);
    expect(page.findAll(Alert, { testId: `token-alert-${id}` })).toHaveLength(0);
  });

  it('says the same in Japanese for a Japanese HubSpot user', async () => {
    const { portalId, channel, id } = await connected('福岡店');
    w.line.channel(channel.channelId).accessToken = 'revoked-in-the-console';
    const page = renderSettingsPage(w, { portalId, locale: 'ja-JP' });
    await page.waitFor(() => expect(page.findByTestId(StatusTag, `health-status-${id}`).text).toBe('要対応'), WAIT);
    expect(page.findByTestId(Text, `health-detail-${id}`).text).toBe('LINE がアクセストークンを受け付けなくなりました');
    expect(page.findByTestId(Alert, `token-alert-${id}`).props.title).toBe('LINE がこのアカウントのアクセストークンを受け付けなくなりました');
    expect(page.findByTestId(Button, `token-alert-replace-${id}`).text).toBe('トークンを差し替える');
    expect(page.findByTestId(Accordion, `section-credentials-${id}`).props).toMatchObject({ title: 'トークン・シークレットの差し替え', open: true });
  });

  it('opens the webhook section when LINE\'s webhook test did not reach the app', async () => {
    const { portalId, id } = await connected('Naha Store');
    w.line.faults.inject({ path: '/v2/bot/channel/webhook/test', status: 500 });
    expect((await w.finish(portalId, await w.call(portalId, 'POST', `/api/accounts/${id}/webhook-test`))).state).toBe('succeeded');
    w.line.faults.clear();
    const page = renderSettingsPage(w, { portalId });
    await page.waitFor(() => expect(page.findByTestId(Text, `health-detail-${id}`).text).toBe("LINE's webhook test has not reached this app"), WAIT);
    expect(openSections(page, id)).toEqual(['webhook']);
  });
});
