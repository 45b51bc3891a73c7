// One login in a real browser (headless Chromium): the login URL, the emulated LINE consent screen, the
// callback (with the state cookie as Chromium keeps it), the after-login redirect; then the contact as
// HubSpot has it. The after-login site is not reached (no network): the browser's request for it is the proof.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoginWorld, type LoginWorld } from './login-world.ts';

const AFTER_LOGIN = 'https://shop.example/thanks';

describe('LINE Login in a browser', () => {
  let w: LoginWorld;
  let browser: Browser;
  beforeAll(async () => {
    w = await startLoginWorld();
    await w.configure({ redirectUrl: AFTER_LOGIN });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('follows the login URL through LINE’s consent to the after-login page, and the contact is linked', async () => {
    const user = w.line.createUser({ email: 'browser.user@example.com', displayName: 'Browser User' });
    const contact = w.portal.createObject('contacts', { email: 'browser.user@example.com' });
    w.line.login.nextAuthorize({ userId: user.userId, interactive: true });

    const page = await browser.newPage({ locale: 'ja-JP' });
    await page.goto(w.urls.loginUrl);
    expect(page.url()).toContain(`${w.line.baseUrl}/oauth2/v2.1/authorize`);
    expect(await page.textContent('body')).toContain('email');
    const [afterLogin] = await Promise.all([page.waitForRequest((r) => r.url() === AFTER_LOGIN), page.click('button[value="allow"]')]);
    const callback = afterLogin.redirectedFrom()!;
    expect(callback.url()).toContain(`${w.urls.callbackUrl}?code=`);
    expect(await callback.headerValue('cookie')).toMatch(/^line_login=/);
    await page.close();

    const linked = w.portal.contacts().find((c) => c.id === contact.id)!;
    expect(linked.properties).toMatchObject({ email: 'browser.user@example.com', line_user_id: user.userId, line_display_name: 'Browser User' });
    expect(linked.properties.line_linked_at).toBeTruthy();
    await w.idle();
  });
});
