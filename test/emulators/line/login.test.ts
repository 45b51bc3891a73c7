// LINE Login v2.1 as a backend drives it: authorize (played by a simulated user), code exchange
// with PKCE, ID token verification (HS256 locally and by the verify endpoint), profile,
// friendship, and LIFF ES256 ID tokens verified with the published JWKS.
import { createHash, createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLineEmulator } from './index.ts';
import type { LineEmulator } from './index.ts';
import { startWebhookReceiver } from './test-support.ts';

let line: LineEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let botSecret = '';
const redirectUri = 'https://backend.example.com/line/login/acct-1/callback';

beforeAll(async () => {
  line = await startLineEmulator();
  receiver = await startWebhookReceiver(() => botSecret);
});
afterAll(async () => {
  await line.close();
  await receiver.close();
});

function setup() {
  const bot = line.createChannel({ webhookUrl: receiver.url });
  botSecret = bot.channelSecret;
  const loginChannel = line.createLoginChannel({ botChannelId: bot.channelId, callbackUrls: [redirectUri] });
  const user = line.createUser({ email: 'taro@example.com', displayName: 'Taro' });
  return { bot, loginChannel, user };
}

const b64urlJson = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function authorize(clientId: string, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    state: 'state-' + randomBytes(4).toString('hex'),
    scope: 'openid profile email',
    nonce: 'nonce-abc',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  const res = await fetch(`${line.baseUrl}/oauth2/v2.1/authorize?${params}`, { redirect: 'manual' });
  const location = res.headers.get('location');
  return { res, verifier, state: params.get('state'), callback: location ? new URL(location) : undefined };
}

const form = (path: string, body: Record<string, string>) =>
  fetch(line.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });

describe('LINE Login web flow', () => {
  it('redirects with a code, exchanges it with PKCE and returns an HS256 ID token signed with the channel secret', async () => {
    const { bot, loginChannel, user } = setup();
    line.login.nextAuthorize({ userId: user.userId, addFriend: true });
    const { res, verifier, state, callback } = await authorize(loginChannel.channelId, { bot_prompt: 'aggressive' });
    expect(res.status).toBe(302);
    expect(callback!.origin + callback!.pathname).toBe(redirectUri);
    expect(callback!.searchParams.get('state')).toBe(state);
    expect(callback!.searchParams.get('friendship_status_changed')).toBe('true');
    expect(line.friendship(bot.channelId, user.userId)).toBe('following');
    expect(receiver.received.at(-1)!.body.events[0]).toMatchObject({ type: 'follow', source: { userId: user.userId } });

    const tokenRes = await form('/oauth2/v2.1/token', {
      grant_type: 'authorization_code',
      code: callback!.searchParams.get('code')!,
      redirect_uri: redirectUri,
      client_id: loginChannel.channelId,
      client_secret: loginChannel.channelSecret,
      code_verifier: verifier,
    });
    expect(tokenRes.status).toBe(200);
    const tokens = await tokenRes.json();
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'openid profile email', expires_in: 2592000 });
    expect(tokens.refresh_token).toBeTruthy();

    const [header, payload, signature] = String(tokens.id_token).split('.');
    expect(b64urlJson(header)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    const expected = createHmac('sha256', loginChannel.channelSecret).update(`${header}.${payload}`).digest('base64url');
    expect(signature).toBe(expected);
    const claims = b64urlJson(payload);
    expect(claims).toMatchObject({ iss: 'https://access.line.me', sub: user.userId, aud: loginChannel.channelId, nonce: 'nonce-abc', amr: ['linesso'], name: 'Taro', email: 'taro@example.com' });
    expect(claims.exp - claims.iat).toBe(3600);

    const verified = await form('/oauth2/v2.1/verify', { id_token: tokens.id_token, client_id: loginChannel.channelId, nonce: 'nonce-abc' });
    expect(verified.status).toBe(200);
    expect((await verified.json()).sub).toBe(user.userId);
    const wrongNonce = await form('/oauth2/v2.1/verify', { id_token: tokens.id_token, client_id: loginChannel.channelId, nonce: 'other' });
    expect(await wrongNonce.json()).toEqual({ error: 'invalid_request', error_description: 'Invalid IdToken Nonce.' });

    const auth = { authorization: `Bearer ${tokens.access_token}` };
    expect(await (await fetch(`${line.baseUrl}/v2/profile`, { headers: auth })).json()).toMatchObject({ userId: user.userId, displayName: 'Taro' });
    expect(await (await fetch(`${line.baseUrl}/friendship/v1/status`, { headers: auth })).json()).toEqual({ friendFlag: true });
  });

  it('accepts each code once, within 10 minutes, with the right verifier and redirect URI', async () => {
    const { loginChannel, user } = setup();
    line.login.setDefaultAuthorize({ userId: user.userId });
    const exchange = (code: string, verifier: string, uri = redirectUri) =>
      form('/oauth2/v2.1/token', { grant_type: 'authorization_code', code, redirect_uri: uri, client_id: loginChannel.channelId, client_secret: loginChannel.channelSecret, code_verifier: verifier });
    const a = await authorize(loginChannel.channelId);
    const codeA = a.callback!.searchParams.get('code')!;
    expect((await exchange(codeA, pkce().verifier)).status).toBe(400);
    expect((await exchange(codeA, a.verifier, 'https://evil.example.com/cb')).status).toBe(400);
    expect((await exchange(codeA, a.verifier)).status).toBe(200);
    const reused = await exchange(codeA, a.verifier);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
    const b = await authorize(loginChannel.channelId);
    line.clock.advance(10 * 60_000 + 1);
    expect((await exchange(b.callback!.searchParams.get('code')!, b.verifier)).status).toBe(400);
    line.login.setDefaultAuthorize(null);
  });

  it('redirects with access_denied when the user cancels, and omits email without the permission', async () => {
    const { loginChannel, user } = setup();
    line.login.nextAuthorize({ userId: user.userId, consent: false });
    const denied = await authorize(loginChannel.channelId);
    expect(denied.callback!.searchParams.get('error')).toBe('access_denied');
    expect(denied.callback!.searchParams.get('state')).toBe(denied.state);

    line.login.nextAuthorize({ userId: user.userId, withoutEmail: true });
    const ok = await authorize(loginChannel.channelId, { bot_prompt: 'normal' });
    expect(ok.callback!.searchParams.get('friendship_status_changed')).toBe('false');
    const tokens = await (
      await form('/oauth2/v2.1/token', {
        grant_type: 'authorization_code',
        code: ok.callback!.searchParams.get('code')!,
        redirect_uri: redirectUri,
        client_id: loginChannel.channelId,
        client_secret: loginChannel.channelSecret,
        code_verifier: ok.verifier,
      })
    ).json();
    expect(b64urlJson(String(tokens.id_token).split('.')[1]).email).toBeUndefined();
  });

  it('rejects unknown clients and unregistered redirect URIs without redirecting, and bad scopes with a redirect', async () => {
    // No simulated user is queued: each of these is refused before LINE would show the consent screen.
    const { loginChannel } = setup();
    expect((await authorize('1234567890')).res.status).toBe(400);
    const wrongUri = await fetch(`${line.baseUrl}/oauth2/v2.1/authorize?response_type=code&client_id=${loginChannel.channelId}&redirect_uri=${encodeURIComponent('https://evil.example.com/cb')}&state=s&scope=openid`, { redirect: 'manual' });
    expect(wrongUri.status).toBe(400);
    const badScope = await authorize(loginChannel.channelId, { scope: 'email' });
    expect(badScope.callback!.searchParams.get('error')).toBe('invalid_scope');
  });
});

describe('LIFF ID tokens', () => {
  it('are ES256 JWTs verifiable with the JWKS, and accepted by the verify endpoint', async () => {
    const { loginChannel, user } = setup();
    const idToken = line.login.liffIdToken({ liffId: loginChannel.liffIds[0], userId: user.userId, nonce: 'n1' });
    const [header, payload, signature] = idToken.split('.');
    const { alg, kid } = b64urlJson(header);
    expect(alg).toBe('ES256');
    const jwks = (await (await fetch(line.login.jwksUrl)).json()) as { keys: Array<JsonWebKey & { kid: string }> };
    const jwk = jwks.keys.find((k) => k.kid === kid)!;
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(b64urlJson(payload)).toMatchObject({ iss: 'https://access.line.me', sub: user.userId, aud: loginChannel.channelId, nonce: 'n1', email: 'taro@example.com' });

    const verified = await form('/oauth2/v2.1/verify', { id_token: idToken, client_id: loginChannel.channelId });
    expect(verified.status).toBe(200);
    const wrongAudience = await form('/oauth2/v2.1/verify', { id_token: idToken, client_id: '1111111111' });
    expect(await wrongAudience.json()).toEqual({ error: 'invalid_request', error_description: 'Invalid IdToken Audience.' });
    line.clock.advance(3601_000);
    const expired = await form('/oauth2/v2.1/verify', { id_token: idToken, client_id: loginChannel.channelId });
    expect(await expired.json()).toEqual({ error: 'invalid_request', error_description: 'IdToken expired.' });
  });
});

describe('LINE Login consent screen and forged ID tokens', () => {
  it('shows a consent screen when asked, and goes on as the button says', async () => {
    const { loginChannel, user } = setup();
    line.login.nextAuthorize({ userId: user.userId, interactive: true });
    const { res: screen } = await authorize(loginChannel.channelId);
    expect(screen.status).toBe(200);
    const session = /name="session" value="([^"]+)"/.exec(await screen.text())![1];
    const consent = (decision: string) =>
      fetch(`${line.baseUrl}/oauth2/v2.1/authorize/consent`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ session, decision }) });
    const cancelled = await consent('deny');
    expect(new URL(cancelled.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
    expect((await consent('allow')).status).toBe(400);
  });

  it('hands over a tampered token or one with another nonce when the plan asks, and LINE’s verify refuses both', async () => {
    const { loginChannel, user } = setup();
    for (const [forged, refusal] of [['tampered', 'Invalid IdToken Signature.'], [{ nonce: 'other' }, 'Invalid IdToken Nonce.']] as const) {
      line.login.nextAuthorize({ userId: user.userId, forgedIdToken: forged });
      const { callback, verifier } = await authorize(loginChannel.channelId, { nonce: 'mine' });
      const code = callback!.searchParams.get('code')!;
      const token = await fetch(`${line.baseUrl}/oauth2/v2.1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: loginChannel.channelId, client_secret: loginChannel.channelSecret, code_verifier: verifier }),
      });
      const { id_token } = await token.json();
      const verified = await fetch(`${line.baseUrl}/oauth2/v2.1/verify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ id_token, client_id: loginChannel.channelId, nonce: 'mine' }) });
      expect([verified.status, (await verified.json()).error_description]).toEqual([400, refusal]);
    }
  });
});

describe('LIFF server API', () => {
  it('lists a Login channel’s LIFF apps for its stateless token; other tokens get 401', async () => {
    const { loginChannel } = setup();
    const issued = await fetch(`${line.baseUrl}/oauth2/v3/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: loginChannel.channelId, client_secret: loginChannel.channelSecret }),
    });
    const { access_token } = await issued.json();
    const apps = await fetch(`${line.baseUrl}/liff/v1/apps`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(await apps.json()).toEqual({ apps: [expect.objectContaining({ liffId: loginChannel.liffIds[0], view: { type: 'full', url: 'https://example.com/liff' } })] });
    expect((await fetch(`${line.baseUrl}/liff/v1/apps`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    // A Login channel's token is no Messaging API token.
    expect((await fetch(`${line.baseUrl}/v2/bot/info`, { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(401);
  });
});
