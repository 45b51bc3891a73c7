// LINE Login through real HTTP: the backend's login URL, the LINE emulator's authorize page playing a
// user, the callback, and what ends up linked (in the backend's card API and on the HubSpot contact).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadLinks } from '../../backend/src/contacts/links.ts';
import { findAccount } from '../../backend/src/accounts/repository.ts';
import { engines } from '../support/databases.ts';
import { logIn, startLoginWorld, type LoginWorld } from './login-world.ts';

describe.each(engines())('LINE Login (web, %s)', (engine) => {
  let w: LoginWorld;
  beforeAll(async () => {
    w = await startLoginWorld({ engine });
  });
  afterAll(async () => {
    await w?.close();
  });
  beforeEach(async () => {
    await w.configure();
  });

  const contacts = () => w.portal.contacts();
  const contactOf = (id: number | string) => w.portal.contacts().find((c) => c.id === String(id));
  const linkOf = async (lineUserId: string) => {
    const account = (await findAccount(w.ctx, w.portal.portalId, w.account.id))!;
    return (await loadLinks(w.ctx, account, [lineUserId])).get(lineUserId);
  };
  const cardStatus = async (contactId: number | string) => {
    const res = await w.hubspot.hubspotFetch(`${w.backend.url}/api/contacts/${contactId}/line`, { portalId: w.portal.portalId, method: 'GET' });
    return (await res.json()) as { accounts: Array<{ link: { lineUserId: string } | null }> };
  };

  it('sends the browser to LINE with PKCE, a nonce, the email scope, bot_prompt and a state bound to a Secure HttpOnly Lax cookie', async () => {
    const browser = w.browser();
    const start = await browser.get(w.urls.loginUrl);
    expect(start.status).toBe(302);
    const to = new URL(start.location!);
    expect(`${to.origin}${to.pathname}`).toBe(`${w.line.baseUrl}/oauth2/v2.1/authorize`);
    const q = Object.fromEntries(to.searchParams);
    expect(q).toMatchObject({ response_type: 'code', client_id: w.loginChannel.channelId, redirect_uri: w.urls.callbackUrl, scope: 'openid profile email', bot_prompt: 'aggressive', code_challenge_method: 'S256' });
    expect(q.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = start.headers.getSetCookie()[0];
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(new RegExp(`; Path=/line/login/${w.account.loginKey}(;|$)`));
    expect(cookie).toMatch(/Max-Age=600/);

    await w.configure({ requireEmail: false });
    const withoutEmail = new URL((await w.browser().get(w.urls.loginUrl)).location!);
    expect(withoutEmail.searchParams.get('scope')).toBe('openid profile');
  });

  it('links the contact with the LINE email and writes its LINE properties on it', async () => {
    const user = w.line.createUser({ email: 'hanako@example.com', displayName: 'Hanako' });
    const contact = w.portal.createObject('contacts', { email: 'Hanako@Example.com', firstname: 'Hanako' });
    const answer = await logIn(w, w.browser(), { userId: user.userId });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Your LINE account is linked');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(contactOf(contact.id)!.properties).toMatchObject({ line_user_id: user.userId, line_display_name: 'Hanako' });
    expect(contactOf(contact.id)!.properties.line_linked_at).toBeTruthy();
    expect((await cardStatus(contact.id)).accounts[0].link?.lineUserId).toBe(user.userId);
    expect(contacts().filter((c) => c.properties.line_user_id === user.userId)).toHaveLength(1);
    await w.idle();
  });

  it('offers the account as a friend: a user who adds it is recorded as following, and the contact made from the follow event is merged into the email contact', async () => {
    const user = w.line.createUser({ email: 'natsuki@example.com' });
    w.portal.createObject('contacts', { email: 'natsuki@example.com' });
    const answer = await logIn(w, w.browser(), { userId: user.userId, addFriend: true });
    expect(answer.status).toBe(200);
    expect(w.line.friendship(w.account.channel.channelId, user.userId)).toBe('following');
    await w.idle();
    const withUser = contacts().filter((c) => c.properties.line_user_id === user.userId);
    expect(withUser).toHaveLength(1);
    expect(withUser[0].properties).toMatchObject({ email: 'natsuki@example.com', line_follow_status: 'following' });
    expect((await linkOf(user.userId))!.contactId).toBe(Number(withUser[0].id));
  });

  it('merges the LINE-only contact made from the user’s messages into the email contact, conversation included', async () => {
    const user = w.line.createUser({ email: 'taro@example.com', displayName: 'Taro' });
    await w.line.follow(w.account.channel.channelId, user.userId);
    await w.line.sendText(w.account.channel.channelId, user.userId, 'Is my order shipped?');
    await w.idle();
    const lineOnly = contacts().find((c) => c.properties.line_user_id === user.userId)!;
    expect(lineOnly.properties.email).toBeUndefined();
    const emailContact = w.portal.createObject('contacts', { email: 'taro@example.com' });

    const answer = await logIn(w, w.browser(), { userId: user.userId });
    expect(answer.status).toBe(200);
    const live = contacts().filter((c) => c.properties.email === 'taro@example.com');
    expect(live).toHaveLength(1);
    const survivor = live[0];
    expect(survivor.properties.hs_merged_object_ids!.split(';')).toEqual(expect.arrayContaining([lineOnly.id, emailContact.id]));
    expect(survivor.properties.line_user_id).toBe(user.userId);
    expect((await linkOf(user.userId))!.contactId).toBe(Number(survivor.id));
    const history = await w.hubspot.hubspotFetch(`${w.backend.url}/api/contacts/${survivor.id}/messages?accountId=${w.account.id}`, { portalId: w.portal.portalId, method: 'GET' });
    expect(JSON.stringify(await history.json())).toContain('Is my order shipped?');
    await w.idle();
  });

  it('creates a contact with the email and LINE properties when no contact has the email', async () => {
    const user = w.line.createUser({ email: 'new.customer@example.com', displayName: 'Jiro Yamada' });
    const answer = await logIn(w, w.browser(), { userId: user.userId });
    expect(answer.status).toBe(200);
    const created = contacts().filter((c) => c.properties.email === 'new.customer@example.com');
    expect(created).toHaveLength(1);
    expect(created[0].properties).toMatchObject({ line_user_id: user.userId, firstname: 'Jiro', lastname: 'Yamada' });
    expect((await linkOf(user.userId))!.contactId).toBe(Number(created[0].id));
    await w.idle();
  });

  it('without an email links the user to a new contact that has no email, and says the email was not shared', async () => {
    const user = w.line.createUser({ email: 'refuses@example.com' });
    const before = contacts().length;
    const answer = await logIn(w, w.browser(), { userId: user.userId, withoutEmail: true });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Linked without your email address');
    const created = contacts().filter((c) => c.properties.line_user_id === user.userId);
    expect(created).toHaveLength(1);
    expect(created[0].properties.email).toBeUndefined();
    expect(contacts().length).toBe(before + 1);

    // Logging in again without email keeps that contact; with the email not asked for, the plain page shows.
    await w.configure({ requireEmail: false });
    const again = await logIn(w, w.browser(), { userId: user.userId });
    expect(again.text).toContain('Your LINE account is linked');
    expect(contacts().filter((c) => c.properties.line_user_id === user.userId)).toHaveLength(1);
    await w.idle();
  });

  it('never moves a LINE user linked to a contact with another email, and says so on the page and in the log', async () => {
    const user = w.line.createUser({ email: 'personal@example.com' });
    const work = w.portal.createObject('contacts', { email: 'work@example.com' });
    const manual = await w.hubspot.hubspotFetch(`${w.backend.url}/api/contacts/${work.id}/line/${w.account.id}/link`, { portalId: w.portal.portalId, method: 'POST', body: { lineUserId: user.userId } });
    expect(manual.status).toBe(201);
    const other = w.portal.createObject('contacts', { email: 'personal@example.com' });

    const answer = await logIn(w, w.browser(), { userId: user.userId });
    expect(answer.status).toBe(409);
    expect(answer.text).toContain('already linked to another customer record');
    expect((await linkOf(user.userId))!.contactId).toBe(Number(work.id));
    expect(contactOf(other.id)!.properties.line_user_id).toBeUndefined();
    expect(w.backend.logs.some((l) => l.msg === 'LINE Login link refused: the LINE user or the contact is already linked elsewhere' && l.reason === 'line_user_linked_elsewhere')).toBe(true);
    await w.idle();
  });

  it('refuses to give an email contact a second LINE user on the account', async () => {
    const first = w.line.createUser({ email: 'shared@example.com' });
    const second = w.line.createUser({ email: 'shared@example.com' });
    expect((await logIn(w, w.browser(), { userId: first.userId })).status).toBe(200);
    const answer = await logIn(w, w.browser(), { userId: second.userId });
    expect(answer.status).toBe(409);
    expect(answer.text).toContain('already linked to another LINE account');
    const contact = contacts().find((c) => c.properties.email === 'shared@example.com')!;
    expect(contact.properties.line_user_id).toBe(first.userId);
    await w.idle();
  });

  it('shows a clear page when the user cancels on LINE, and links nothing', async () => {
    const user = w.line.createUser();
    const answer = await logIn(w, w.browser(), { userId: user.userId, consent: false });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('Login cancelled');
    expect(answer.text).toContain('ログインはキャンセルされました');
    expect(await linkOf(user.userId)).toBeUndefined();
  });

  it('puts Japanese first for a browser that prefers it', async () => {
    const user = w.line.createUser();
    const answer = await logIn(w, w.browser({ acceptLanguage: 'ja,en;q=0.5' }), { userId: user.userId, consent: false });
    expect(answer.text).toContain('<html lang="ja">');
    expect(answer.text.indexOf('ログインはキャンセルされました')).toBeLessThan(answer.text.indexOf('Login cancelled'));
  });

  it('refuses a replayed state and a state of another browser, linking nothing', async () => {
    const user = w.line.createUser({ email: 'replay@example.com' });
    const browser = w.browser();
    const start = await browser.get(w.urls.loginUrl);
    w.line.login.nextAuthorize({ userId: user.userId });
    const callbackUrl = (await browser.get(start.location!)).location!;

    const foreign = await w.browser().get(callbackUrl);
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('This login was started elsewhere');
    const stolenCookie = w.browser();
    stolenCookie.cookies.set('line_login', 'A'.repeat(43));
    expect((await stolenCookie.get(callbackUrl)).status).toBe(403);
    expect(await linkOf(user.userId)).toBeUndefined();

    expect((await browser.get(callbackUrl)).status).toBe(200);
    expect((await linkOf(user.userId))!.contactId).not.toBeNull();

    // The same callback once more, from the browser that used it (its cookie put back): refused.
    const again = w.browser();
    const start2 = await again.get(w.urls.loginUrl);
    w.line.login.nextAuthorize({ userId: user.userId });
    const callback2 = (await again.get(start2.location!)).location!;
    const cookie = new Map(again.cookies);
    expect((await again.get(callback2)).status).toBe(200);
    for (const [k, v] of cookie) again.cookies.set(k, v);
    const replayed = await again.get(callback2);
    expect(replayed.status).toBe(409);
    expect(replayed.text).toContain('This login was already used');
    await w.idle();
  });

  it('refuses a callback without a state, or with a state LINE never saw, as invalid', async () => {
    expect((await w.browser().get(`${w.urls.callbackUrl}?code=abc`)).status).toBe(400);
    const answer = await w.browser().get(`${w.urls.callbackUrl}?code=abc&state=${'x'.repeat(43)}`);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('This login has expired or is invalid');
  });

  it('refuses a tampered ID token and one carrying another login’s nonce', async () => {
    const user = w.line.createUser({ email: 'forged@example.com' });
    const tampered = await logIn(w, w.browser(), { userId: user.userId, forgedIdToken: 'tampered' });
    expect(tampered.status).toBe(400);
    expect(tampered.text).toContain('Your login could not be confirmed');
    const wrongNonce = await logIn(w, w.browser(), { userId: user.userId, forgedIdToken: { nonce: 'nonce-of-another-login-0123456789abcdefghij' } });
    expect(wrongNonce.status).toBe(400);
    expect(wrongNonce.text).toContain('Your login could not be confirmed');
    expect(await linkOf(user.userId)).toBeUndefined();
    expect(contacts().some((c) => c.properties.email === 'forged@example.com')).toBe(false);
  });

  it('redirects to the after-login URL, or to `next` when it is that URL or a path of ours, and refuses any other `next`', async () => {
    await w.configure({ redirectUrl: 'https://line.me/R/oaMessage/@shop' });
    const user = w.line.createUser();
    const toChat = await logIn(w, w.browser(), { userId: user.userId });
    expect(toChat.status).toBe(303);
    expect(toChat.location).toBe('https://line.me/R/oaMessage/@shop');
    const toPath = await logIn(w, w.browser(), { userId: user.userId }, { next: '/healthz' });
    expect(toPath.location).toBe(`${w.backend.config.PUBLIC_BASE_URL}/healthz`);
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const refused = await w.browser().get(`${w.urls.loginUrl}?next=${encodeURIComponent(next)}`);
      expect(refused.status, next).toBe(400);
      expect(refused.text).toContain('This login link is not valid');
    }
    await w.idle();
  });

  it('never logs the Login channel secret, a customer’s email, or a login’s state', async () => {
    const user = w.line.createUser({ email: 'private.person@example.com' });
    const browser = w.browser();
    const start = await browser.get(w.urls.loginUrl);
    const state = new URL(start.location!).searchParams.get('state')!;
    w.line.login.nextAuthorize({ userId: user.userId });
    await browser.get((await browser.get(start.location!)).location!);
    await w.idle();
    const logs = w.backend.logText();
    expect(logs).not.toContain(w.loginChannel.channelSecret);
    expect(logs).not.toContain('private.person@example.com');
    expect(logs).not.toContain(state);
  });

  it('answers a page for an unknown login key and for an account without LINE Login', async () => {
    const unknown = await w.browser().get(`${w.backend.url}/line/login/${'A'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('This login link does not exist');
    expect(unknown.headers.get('content-security-policy')).toContain("default-src 'none'");
    const other = await w.connectAccount();
    const notSet = await w.browser().get(`${w.backend.url}/line/login/${other.loginKey}`);
    expect(notSet.status).toBe(404);
    expect(notSet.text).toContain('LINE Login is not set up yet');
  });
});
