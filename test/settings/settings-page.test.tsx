// The settings page as an admin uses it: the real UI components, hubspot.fetch signed by the HubSpot
// emulator, the real backend, and the LINE emulator behind it.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Alert, Button, EmptyState, ErrorState, Flex, Heading, Input, LoadingButton, LoadingSpinner, ProgressBar, Select, StatusTag, Text, Toggle, Image, Link } from '@hubspot/ui-extensions';
import { installPortal } from '../support/installed-portal.ts';
import { startWorld, type World } from '../accounts/world.ts';
import { renderSettingsPage, type PageHarness } from './page-harness.tsx';

const WAIT = { timeoutInMs: 20_000 };

function fill(page: PageHarness, testId: string, value: string) {
  page.findByTestId(Input, testId).trigger('onChange', value as never);
}

async function addThroughForm(page: PageHarness, form: { channelId: string; channelSecret: string; channelAccessToken: string }) {
  fill(page, 'add-channel-id', form.channelId);
  fill(page, 'add-channel-secret', form.channelSecret);
  fill(page, 'add-access-token', form.channelAccessToken);
  page.findByTestId(LoadingButton, 'add-account-submit').trigger('onClick');
}

describe('settings page', () => {
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

  it('shows the empty state, checks a new account with LINE while showing its progress, and then lists it as healthy', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const page = renderSettingsPage(w, { portalId });
    expect(page.findByTestId(LoadingSpinner, 'accounts-loading').props.label).toBe('Loading your LINE accounts…');
    await page.waitFor(() => expect(page.findByTestId(EmptyState, 'accounts-empty').props.title).toBe('No LINE account connected yet'), WAIT);

    const { channel, form } = w.newChannel({ displayName: 'Osaka Store' });
    w.line.setQuota(channel.channelId, { limit: 200, used: 20 });
    // LINE is slow to answer: the request does not wait for it, the page shows the operation's progress.
    w.line.faults.inject({ path: '/v2/bot/info', delayMs: 300 });
    await addThroughForm(page, form);
    await page.waitFor(() => expect(page.findByTestId(ProgressBar, 'add-account-progress').props).toMatchObject({
      title: 'Checking the credentials with LINE…', value: 0, maxValue: 3, valueDescription: '0 of 3',
    }), WAIT);
    expect(page.findByTestId(LoadingButton, 'add-account-submit').props.loading).toBe(true);

    await page.waitFor(() => expect(page.findAll(Heading).map((h) => h.text)).toContain('Osaka Store'), WAIT);
    const row = await w.backend.ctx.db('line_accounts').where({ portal_id: portalId }).first();
    expect(row.channel_id).toBe(channel.channelId);
    const id = row.id;
    await page.waitFor(() => expect(page.findByTestId(StatusTag, `health-token-${id}`).text).toBe('Token valid'), WAIT);
    expect(page.findByTestId(StatusTag, `health-webhook-${id}`).text).toBe('Webhook verified');
    expect(page.findByTestId(Text, `health-quota-${id}`).text).toBe('180 of 200');
    expect(page.findByTestId(Text, `health-last-event-${id}`).text).toBe('None yet');
    expect(page.findByTestId(Text, `webhook-outcome-${id}`).text).toBe("LINE's webhook test reached this app (HTTP 200).");
    expect(page.findByTestId(Text, `webhook-url-${id}`).text).toBe(`${w.backend.config.PUBLIC_BASE_URL}/line/webhook/${row.webhook_key}`);
    expect(page.findByTestId(Alert, 'add-account-result').props.title).toBe('Osaka Store is connected.');
    expect(page.findByTestId(Text, 'add-account-webhook-outcome').text).toBe("LINE's webhook test reached this app (HTTP 200).");
    expect(page.addAlert).toHaveBeenCalledWith({ message: 'Osaka Store is connected.', type: 'success' });
    expect(page.findAll(ProgressBar)).toHaveLength(0);
    expect(page.findByTestId(Text, `health-checked-at-${id}`).text).toMatch(/^Token and messages left as LINE reported them at /);
    // No hubspot.fetch asked to wait longer than HubSpot allows.
    expect(page.timeouts.length).toBeGreaterThan(3);
    expect(page.timeouts.filter((timeout) => timeout !== undefined && timeout > 15_000)).toEqual([]);
    // Secrets never reach the page.
    expect(page.getRootNode().toString()).not.toContain(channel.channelSecret);
    expect(page.getRootNode().toString()).not.toContain(channel.accessToken);
  });

  it('says clearly when LINE refuses the credentials, and saves nothing', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const page = renderSettingsPage(w, { portalId });
    await page.waitFor(() => page.findByTestId(EmptyState, 'accounts-empty'), WAIT);
    const { form } = w.newChannel();
    await addThroughForm(page, { ...form, channelSecret: '0'.repeat(32) });
    await page.waitFor(() => expect(page.findByTestId(Alert, 'add-account-error').props.title).toMatch(/does not accept this channel ID and channel secret/), WAIT);
    expect(await w.backend.ctx.db('line_accounts').where({ portal_id: portalId })).toHaveLength(0);
    // The form kept what was typed, so only the wrong value needs fixing.
    expect(page.findByTestId(Input, 'add-channel-id').props.value).toBe(form.channelId);
  });

  it('asks for every field before calling the backend', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const page = renderSettingsPage(w, { portalId });
    await page.waitFor(() => page.findByTestId(EmptyState, 'accounts-empty'), WAIT);
    const before = w.hubspot.state.calls.length + w.line.requests.length;
    fill(page, 'add-channel-id', '1234567890');
    page.findByTestId(LoadingButton, 'add-account-submit').trigger('onClick');
    await page.waitFor(() => expect(page.findByTestId(Input, 'add-channel-secret').props.validationMessage).toBe('Required'), WAIT);
    expect(page.findByTestId(Input, 'add-access-token').props.error).toBe(true);
    expect(w.hubspot.state.calls.length + w.line.requests.length).toBe(before);
  });

  it('edits options, rotates the token, and removes an account only after confirmation', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const { channel, form } = w.newChannel({ displayName: 'Kyoto Store' });
    const { account } = await w.connect(portalId, form);
    const id = account.id;
    const page = renderSettingsPage(w, { portalId });
    await page.waitFor(() => page.findByTestId(Toggle, `option-owner-tasks-${id}`), WAIT);

    page.findByTestId(Toggle, `option-owner-tasks-${id}`).trigger('onChange', false as never);
    page.findByTestId(Toggle, `option-auto-create-companies-${id}`).trigger('onChange', true as never);
    page.findByTestId(Select, `option-timeline-${id}`).trigger('onChange', 'notes' as never);
    page.findByTestId(LoadingButton, `options-save-${id}`).trigger('onClick');
    await page.waitFor(() => expect(page.addAlert).toHaveBeenCalledWith({ message: 'Saved.', type: 'success' }), WAIT);
    let row = await w.backend.ctx.db('line_accounts').where({ id }).first();
    expect([Boolean(row.auto_create_contacts), Boolean(row.auto_create_companies), Boolean(row.owner_tasks), row.timeline_mode]).toEqual([true, true, false, 'notes']);

    channel.accessToken = 'R'.repeat(64);
    await page.waitFor(() => page.findByTestId(Input, `rotate-token-${id}`), WAIT);
    fill(page, `rotate-token-${id}`, channel.accessToken);
    page.findByTestId(LoadingButton, `rotate-save-${id}`).trigger('onClick');
    await page.waitFor(() => expect(page.findByTestId(Input, `rotate-token-${id}`).props.value).toBe(''), WAIT);
    row = await w.backend.ctx.db('line_accounts').where({ id }).first();
    expect(w.backend.ctx.secrets.open(row.channel_access_token, `line_accounts:${channel.channelId}:channel_access_token`)).toBe(channel.accessToken);

    page.findByTestId(Button, `remove-account-${id}`).trigger('onClick');
    await page.waitFor(() => expect(page.findByTestId(Alert, `remove-confirm-${id}`).props.title).toMatch(/^Remove Kyoto Store\?/), WAIT);
    expect(await w.backend.ctx.db('line_accounts').where({ id })).toHaveLength(1);
    page.findByTestId(LoadingButton, `remove-account-yes-${id}`).trigger('onClick');
    await page.waitFor(() => page.findByTestId(EmptyState, 'accounts-empty'), WAIT);
    expect(await w.backend.ctx.db('line_accounts').where({ id })).toHaveLength(0);
  });

  it('tests the webhook again and checks the accounts with LINE on demand, showing each one\'s progress', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const { channel, form } = w.newChannel({ displayName: 'Kobe Store' });
    const { account } = await w.connect(portalId, form);
    const page = renderSettingsPage(w, { portalId });
    // The page asked LINE about the accounts when it opened.
    await page.waitFor(() => expect(page.findByTestId(StatusTag, `health-token-${account.id}`).text).toBe('Token valid'), WAIT);

    w.line.faults.inject({ path: '/v2/bot/channel/webhook/endpoint', delayMs: 300 });
    page.findByTestId(LoadingButton, `webhook-test-again-${account.id}`).trigger('onClick');
    await page.waitFor(() => expect(page.findByTestId(ProgressBar, `webhook-test-progress-${account.id}`).props).toMatchObject({
      title: 'Setting the webhook URL on LINE…', valueDescription: '0 of 2',
    }), WAIT);
    await page.waitFor(() => expect(page.findAll(ProgressBar)).toHaveLength(0), WAIT);
    expect(page.findByTestId(Text, `webhook-outcome-${account.id}`).text).toBe("LINE's webhook test reached this app (HTTP 200).");

    // The token was revoked in the LINE console: the next check shows it.
    w.line.channel(channel.channelId).accessToken = 'revoked-in-the-console';
    w.line.faults.inject({ path: '/v2/bot/info', delayMs: 300 });
    page.findByTestId(LoadingButton, 'health-check-now').trigger('onClick');
    await page.waitFor(() => expect(page.findByTestId(ProgressBar, 'health-check-progress').props).toMatchObject({
      title: 'Checking your LINE accounts with LINE…', valueDescription: '0 of 1',
    }), WAIT);
    await page.waitFor(() => expect(page.findByTestId(StatusTag, `health-token-${account.id}`).text).toBe('Token not accepted by LINE'), WAIT);
  });

  it('saves LINE Login settings checked with LINE, and shows the URLs to register (with copy buttons) and the QR code downloads', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const { account: added } = await w.connect(portalId, w.newChannel().form);
    const id = added.id;
    const { login } = added;
    const loginChannel = w.line.createLoginChannel({ liffEndpointUrl: 'https://old-host.example/liff' });
    const page = renderSettingsPage(w, { portalId });
    await page.waitFor(() => page.findByTestId(Input, `login-channel-id-${id}`), WAIT);
    fill(page, `login-channel-id-${id}`, loginChannel.channelId);
    fill(page, `login-channel-secret-${id}`, 'd'.repeat(32));
    fill(page, `login-redirect-url-${id}`, 'http://not-https.example.com');
    page.findByTestId(LoadingButton, `login-save-${id}`).trigger('onClick');
    await page.waitFor(() => expect(page.findByTestId(Alert, `login-error-${id}`).props.title).toMatch(/redirectUrl must be an https:\/\/ URL or a line:\/\/ URL/), WAIT);

    // LINE refuses the wrong secret: said in the admin's words, nothing saved.
    fill(page, `login-redirect-url-${id}`, 'line://ti/p/@shop');
    page.findByTestId(LoadingButton, `login-save-${id}`).trigger('onClick');
    await page.waitFor(() => expect(page.findByTestId(Alert, `login-error-${id}`).props.title).toMatch(/LINE does not accept this LINE Login channel ID and channel secret/), WAIT);
    expect((await w.backend.ctx.db('line_accounts').where({ id }).first()).login_channel_id).toBeNull();

    fill(page, `login-channel-secret-${id}`, loginChannel.channelSecret);
    fill(page, `login-liff-id-${id}`, loginChannel.liffIds[0]);
    page.findByTestId(Toggle, `login-require-email-${id}`).trigger('onChange', true as never);
    page.findByTestId(LoadingButton, `login-save-${id}`).trigger('onClick');
    await page.waitFor(() => expect(page.findByTestId(Image, `login-qr-${id}`).props.src).toBe(login.qrCodeUrl), WAIT);
    const check = page.findByTestId(Flex, `login-check-${id}`);
    expect(check.find(Alert).props.title).toContain('https://old-host.example/liff');
    expect(page.findByTestId(Text, `login-callback-url-${id}`).text).toBe(login.callbackUrl);
    expect(page.findByTestId(Text, `login-liff-endpoint-url-${id}`).text).toBe(login.liffEndpointUrl);
    expect(page.findByTestId(Text, `login-after-login-url-${id}`).text).toBe('line://ti/p/@shop');
    expect(page.findByTestId(Text, `login-url-${id}`).text).toBe(`https://liff.line.me/${loginChannel.liffIds[0]}`);
    page.findByTestId(Button, `login-callback-url-${id}-copy`).trigger('onClick');
    page.findByTestId(Button, `login-liff-endpoint-url-${id}-copy`).trigger('onClick');
    page.findByTestId(Button, `login-after-login-url-${id}-copy`).trigger('onClick');
    expect(page.copyTextToClipboard.mock.calls.map(([text]) => text)).toEqual([login.callbackUrl, login.liffEndpointUrl, 'line://ti/p/@shop']);
    expect(page.findByTestId(Button, `login-qr-png-${id}`).props.href).toEqual({ url: `${login.qrCodeUrl}?download=1`, external: true });
    expect(page.findByTestId(Button, `login-qr-svg-${id}`).props.href).toEqual({ url: `${login.qrCodeSvgUrl}?download=1`, external: true });
    expect(page.findByTestId(Link, `login-sample-url-${id}`).props.href).toEqual({ url: login.samplePageUrl, external: true });
    const row = await w.backend.ctx.db('line_accounts').where({ id }).first();
    expect([row.login_channel_id, row.login_redirect_url, Boolean(row.login_require_email), row.liff_id]).toEqual([loginChannel.channelId, 'line://ti/p/@shop', true, loginChannel.liffIds[0]]);
  });

  it('keeps portals apart: B does not see A’s account, and cannot change or remove it', async () => {
    const a = await installPortal(w.backend.ctx, w.hubspot);
    const b = await installPortal(w.backend.ctx, w.hubspot);
    const { account: added } = await w.connect(a.portalId, w.newChannel({ displayName: 'Portal A Store' }).form);
    const id = added.id;
    const pageB = renderSettingsPage(w, { portalId: b.portalId });
    await pageB.waitFor(() => pageB.findByTestId(EmptyState, 'accounts-empty'), WAIT);
    expect(pageB.getRootNode().toString()).not.toContain('Portal A Store');
    vi.unstubAllGlobals();

    // A's page left open while the signed identity becomes portal B's: every change is refused (404).
    const pageA = renderSettingsPage(w, { portalId: a.portalId });
    await pageA.waitFor(() => pageA.findByTestId(Button, `remove-account-${id}`), WAIT);
    pageA.portalId = b.portalId;
    pageA.findByTestId(Toggle, `option-auto-create-${id}`).trigger('onChange', false as never);
    pageA.findByTestId(LoadingButton, `options-save-${id}`).trigger('onClick');
    await pageA.waitFor(() => expect(pageA.findAll(Alert).map((x) => x.props.title)).toContain('This LINE account no longer exists. Reload the page.'), WAIT);
    pageA.findByTestId(Button, `remove-account-${id}`).trigger('onClick');
    await pageA.waitFor(() => pageA.findByTestId(LoadingButton, `remove-account-yes-${id}`), WAIT);
    pageA.findByTestId(LoadingButton, `remove-account-yes-${id}`).trigger('onClick');
    await pageA.waitFor(() => expect(pageA.findByTestId(Alert, `remove-confirm-${id}`).toString()).toContain('This LINE account no longer exists.'), WAIT);
    const row = await w.backend.ctx.db('line_accounts').where({ id }).first();
    expect([row.portal_id, Boolean(row.auto_create_contacts)]).toEqual([a.portalId, true]);
  });

  it('shows an error state when the backend cannot be reached, and recovers on "Try again"', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const page = renderSettingsPage(w, { portalId, offline: true });
    await page.waitFor(() => expect(page.findByTestId(ErrorState, 'accounts-error').props.title).toBe('Could not load your LINE accounts'), WAIT);
    expect(page.findByTestId(ErrorState, 'accounts-error').find(Text).text).toBe('The app could not be reached. Check your connection and try again.');
    page.offline(false);
    page.findByTestId(Button, 'accounts-reload').trigger('onClick');
    await page.waitFor(() => page.findByTestId(EmptyState, 'accounts-empty'), WAIT);
  });

  it('is in Japanese for a Japanese HubSpot user', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const page = renderSettingsPage(w, { portalId, locale: 'ja-JP' });
    await page.waitFor(() => expect(page.findByTestId(EmptyState, 'accounts-empty').props.title).toBe('まだ LINE アカウントが連携されていません'), WAIT);
    expect(page.find(Heading).text).toBe('LINE 公式アカウント');
    const { form } = w.newChannel();
    w.line.faults.inject({ path: '/v2/bot/info', delayMs: 300 });
    await addThroughForm(page, { ...form, channelAccessToken: 'z'.repeat(40) });
    await page.waitFor(() => expect(page.findByTestId(ProgressBar, 'add-account-progress').props).toMatchObject({
      title: 'LINE で認証情報を確認しています…', valueDescription: '3 件中 0 件',
    }), WAIT);
    await page.waitFor(() => expect(page.findByTestId(Alert, 'add-account-error').props.title).toMatch(/LINE がチャネルアクセストークンを拒否しました/), WAIT);
  });

  it('explains what is missing when the profile has no BACKEND_URL', () => {
    const page = renderSettingsPage(w, { portalId: w.portalA, backendUrl: null });
    expect(page.findByTestId(ErrorState, 'settings-not-configured').find(Text).text).toContain('BACKEND_URL');
  });
});

describe('settings page, before anything answers LINE at /line/webhook/:key', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('sqlite', { webhookReceiver: false });
  });
  afterAll(async () => {
    await w?.stop();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('connects the account but shows that LINE’s webhook test failed, with the URL to paste by hand', async () => {
    const page = renderSettingsPage(w, { portalId: w.portalA });
    await page.waitFor(() => page.findByTestId(EmptyState, 'accounts-empty'), WAIT);
    await addThroughForm(page, w.newChannel({ displayName: 'Nagoya Store' }).form);
    await page.waitFor(() => expect(page.findByTestId(Text, 'add-account-webhook-outcome').text).toBe("LINE's webhook test failed: error status code (HTTP 404)."), WAIT);
    const row = await w.backend.ctx.db('line_accounts').where({ portal_id: w.portalA }).first();
    await page.waitFor(() => expect(page.findByTestId(StatusTag, `health-webhook-${row.id}`).text).toBe('Webhook not verified'), WAIT);
    expect(page.findByTestId(Text, `webhook-url-${row.id}`).text).toBe(`${w.backend.config.PUBLIC_BASE_URL}/line/webhook/${row.webhook_key}`);
    expect(page.findByTestId(LoadingButton, `webhook-test-again-${row.id}`).text).toBe('Test webhook again');
  });
});
