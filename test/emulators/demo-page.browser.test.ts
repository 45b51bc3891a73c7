// The demo page in a real browser (headless Chromium), with `npm run demo` running as a process: the LINE
// user adds the account and writes, the HubSpot user sees the contact appear, opens its LINE card and chat,
// answers with a template and a sticker, and the LINE user receives both; a picture from LINE shows up in
// the chat; the user blocks the account and the open chat closes its composer; a new LINE user is made.
// None of the demo's secrets reaches the browser. A Japanese browser gets the page in Japanese.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from './demo/fixtures.ts';
import { runDemo, type DemoProcess } from './demo-process.ts';
import { TINY_PNG } from './line/media.ts';

/** Each step may take this long on a loaded machine; the whole test is bounded by the sum. */
const STEP_MS = 20_000;

describe('the demo page in a browser', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let pageUrl: string;
  beforeAll(async () => {
    demo = await runDemo(mkdtempSync(join(tmpdir(), 'lfh-demo-page-')));
    pageUrl = demo.output().match(/^\s+(http:\/\/127\.0\.0\.1:\d+\/)$/m)?.[1] ?? '';
    expect(pageUrl, demo.output()).not.toBe('');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    demo?.interrupt();
    await demo?.exited;
  });

  async function open(locale: string): Promise<{ page: Page; bodies: string[] }> {
    const page = await browser.newPage({ locale });
    page.setDefaultTimeout(STEP_MS);
    const bodies: string[] = [];
    page.on('response', async (response) => {
      if (response.url().startsWith(pageUrl)) bodies.push(await response.text().catch(() => ''));
    });
    await page.goto(pageUrl);
    return { page, bodies };
  }

  it('carries a message from LINE to the contact’s chat and the answer back to LINE', async () => {
    const { page, bodies } = await open('en-US');
    const line = page.locator('#line');
    const hubspot = page.locator('#hubspot');

    await expect.poll(() => line.locator('#line-users option').first().textContent(), { timeout: STEP_MS }).toContain('Aiko');
    await line.locator('#line-follow').click();
    await line.locator('#line-messages .event').waitFor();
    await line.locator('#line-text').fill('Hello from LINE');
    await line.locator('#line-composer button[type=submit]').click();
    await line.locator('#line-messages [data-from=user]', { hasText: 'Hello from LINE' }).waitFor();

    const row = hubspot.locator('#contacts-body tr', { hasText: 'Aiko' });
    await row.locator('td.unanswered').waitFor();
    await row.click();
    await hubspot.locator('#chat-messages .inbound', { hasText: 'Hello from LINE' }).waitFor();
    await hubspot.locator('#card .unanswered', { hasText: 'Hello from LINE' }).waitFor();
    await hubspot.locator('#card [data-follow-status=following]').waitFor();

    await hubspot.locator('#composer-templates').selectOption({ label: 'Thanks / お礼' });
    expect(await hubspot.locator('#composer-text').inputValue()).toContain('Thank you! We will get back to you shortly.');
    await hubspot.locator('#composer-send').click();
    await hubspot.locator('#chat-messages .outbound[data-status=sent]', { hasText: 'Thank you!' }).waitFor();
    await hubspot.locator('#composer-stickers [data-sticker-id="1989"]').click();
    await hubspot.locator('#chat-messages .outbound[data-status=sent]').getByRole('img', { name: 'Sticker 1989' }).waitFor();

    await line.locator('#line-messages [data-from=account]', { hasText: 'Thank you! We will get back to you shortly.' }).waitFor();
    await line.locator('#line-messages [data-from=account]').getByRole('img', { name: 'Sticker 1989' }).waitFor();
    await hubspot.locator('#card', { hasText: 'Nothing unanswered' }).waitFor();

    await line.locator('#line-picture').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: TINY_PNG });
    await line.locator('#line-messages [data-from=user] img.picture').waitFor();
    const picture = hubspot.locator('#chat-messages .inbound img.picture');
    await picture.waitFor();
    expect(await picture.getAttribute('src')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);

    await line.locator('#line-block').click();
    await hubspot.locator('#chat-blocked').waitFor();
    expect(await hubspot.locator('#composer-send').isDisabled()).toBe(true);
    await line.locator('#line-new-user-name').fill('Ken');
    await line.locator('#line-new-user button[type=submit]').click();
    await expect.poll(() => line.locator('#line-users option:checked').textContent(), { timeout: STEP_MS }).toContain('Ken');
    await line.locator('#line-friendship[data-friendship=none]').waitFor();

    const secrets = [DEMO.channel.channelSecret, DEMO.channel.accessToken, DEMO.hubspot.clientSecret];
    expect(bodies.length).toBeGreaterThan(10);
    expect(bodies.filter((body) => secrets.some((secret) => body.includes(secret)))).toEqual([]);
    await page.close();
  }, 8 * STEP_MS);

  it('speaks Japanese to a browser that prefers it', async () => {
    const { page } = await open('ja-JP');
    expect(await page.locator('h1').textContent()).toBe('LINE for HubSpot デモ');
    expect(await page.locator('#line-follow').textContent()).toBe('友だち追加');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await page.close();
  });
});
