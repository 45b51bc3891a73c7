// The LIFF endpoint page and the form it posts the LIFF ID token with, and the sample page LINE asks for
// when applying for the email permission.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoginWorld, type LoginBrowser, type LoginWorld } from './login-world.ts';

describe('LIFF login and the sample page', () => {
  let w: LoginWorld;
  beforeAll(async () => {
    w = await startLoginWorld();
    await w.configure({ liffId: w.liffId });
  });
  afterAll(async () => {
    await w?.close();
  });

  /** Opens the LIFF page and answers the state its form carries. */
  async function openLiffPage(browser: LoginBrowser): Promise<string> {
    const page = await browser.get(w.urls.liffEndpointUrl);
    expect(page.status).toBe(200);
    return /name="state" value="([^"]+)"/.exec(page.text)![1];
  }

  const post = (browser: LoginBrowser, form: Record<string, string>) =>
    browser.request(w.urls.liffEndpointUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

  it('serves the LIFF page with the LIFF SDK from LINE’s URL and nothing else to run', async () => {
    const page = await w.browser().get(w.urls.liffEndpointUrl);
    expect(page.text).toContain('<script src="https://static.line-scdn.net/liff/edge/2/sdk.js"');
    expect(page.text).toContain(`data-liff-id="${w.liffId}"`);
    const csp = page.headers.get('content-security-policy')!;
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src '))!.split(' ').slice(1);
    expect(scriptSrc[0]).toBe('https://static.line-scdn.net/liff/edge/2/sdk.js');
    expect(scriptSrc.slice(1)).toEqual([expect.stringMatching(/^'sha256-[A-Za-z0-9+/=]+'$/)]);
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(page.headers.getSetCookie()[0]).toMatch(/^line_login=[^;]+;.*; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('lets its form lead on to the after-login URL, and to nothing else', async () => {
    await w.configure({ liffId: w.liffId, redirectUrl: 'https://line.me/R/oaMessage/@shop' });
    const page = await w.browser().get(w.urls.liffEndpointUrl);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' https://line.me;");
    expect((await w.browser().get(`${w.urls.liffEndpointUrl}?next=${encodeURIComponent('https://evil.example/')}`)).status).toBe(400);
    await w.configure({ liffId: w.liffId });
  });

  it('links the user of a LIFF ID token posted with the page’s state, and refuses the state a second time', async () => {
    const user = w.line.createUser({ email: 'liff.user@example.com' });
    const contact = w.portal.createObject('contacts', { email: 'liff.user@example.com' });
    const browser = w.browser();
    const state = await openLiffPage(browser);
    const idToken = w.line.login.liffIdToken({ liffId: w.liffId, userId: user.userId });
    const cookie = new Map(browser.cookies);
    const answer = await post(browser, { state, idToken });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Your LINE account is linked');
    expect(w.portal.contacts().find((c) => c.id === contact.id)!.properties.line_user_id).toBe(user.userId);
    for (const [k, v] of cookie) browser.cookies.set(k, v);
    expect((await post(browser, { state, idToken })).status).toBe(409);
    await w.idle();
  });

  it('refuses a LIFF ID token that LINE does not vouch for, a missing token and a state of another browser', async () => {
    const user = w.line.createUser({ email: 'liff.forged@example.com' });
    const genuine = w.line.login.liffIdToken({ liffId: w.liffId, userId: user.userId });
    const [header, payload, signature] = genuine.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, email: 'victim@example.com' })).toString('base64url')}.${signature}`;

    const browser = w.browser();
    const answer = await post(browser, { state: await openLiffPage(browser), idToken: tampered });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('Your login could not be confirmed');

    const noToken = w.browser();
    expect((await post(noToken, { state: await openLiffPage(noToken) })).status).toBe(400);

    const state = await openLiffPage(w.browser());
    expect((await post(w.browser(), { state, idToken: genuine })).status).toBe(403);
    expect(w.portal.contacts().some((c) => c.properties.line_user_id === user.userId)).toBe(false);
  });

  it('shows the sample page: what the login collects and why, in English and Japanese, with the login button', async () => {
    const page = await w.browser({ acceptLanguage: 'ja' }).get(w.urls.samplePageUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="ja">');
    expect(page.text).toContain('email address registered with LINE');
    expect(page.text).toContain('LINE に登録されているメールアドレス');
    expect(page.text).toContain(`href="${w.urls.loginUrl}"`);
    expect(page.text).toContain(w.account.channel.displayName);
    expect((await w.browser().get(`${w.backend.url}/line/login/${'B'.repeat(32)}/sample`)).status).toBe(404);
  });
});
