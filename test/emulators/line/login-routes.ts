// LINE Login v2.1 endpoints (access.line.me authorize, api.line.me token/verify/revoke, profile,
// friendship status, JWKS) and the account-link dialog, served on the emulator's one base URL.
import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { EventFactory } from './events.ts';
import { formBody, redirect, sendEmpty, sendHtml, sendJson, sendLineError, sendOAuthError } from './http.ts';
import { decodeJwt, verifyES256, verifyHS256 } from './jwt.ts';
import type { AuthorizePlan, LoginState, UserToken } from './login-state.ts';
import { USER_TOKEN_TTL_S } from './login-state.ts';
import { newOpaqueToken } from './ids.ts';
import type { LineState, LoginChannel } from './state.ts';
import type { WebhookSender } from './webhook-sender.ts';

const SCOPES = ['openid', 'profile', 'email'];

function withQuery(url: string, params: Record<string, string | undefined>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

interface AuthorizeRequest {
  channel: LoginChannel;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  botPrompt?: string;
}

const escape = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** LINE's consent screen, reduced to what a browser test clicks: what the channel asks for, Allow, Cancel. */
function consentPage(session: string, channelId: string, scopes: string[]): string {
  const items = scopes.map((s) => `<li>${escape(s)}</li>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>LINE Login</title></head><body>
<h1>Channel ${escape(channelId)} asks for</h1><ul>${items}</ul>
<form method="post" action="/oauth2/v2.1/authorize/consent"><input type="hidden" name="session" value="${escape(session)}">
<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Cancel</button></form></body></html>`;
}

export function loginRoutes(state: LineState, login: LoginState, events: EventFactory, webhooks: WebhookSender): Router {
  const r = Router();

  /** Sends a follow webhook to the bot when a user adds it as a friend during login (bot_prompt). */
  async function addFriend(botChannelId: string, userId: string): Promise<boolean> {
    if (state.isFollowing(botChannelId, userId)) return false;
    const event = events.follow(botChannelId, userId);
    if (state.channel(botChannelId).webhookUrl) await webhooks.deliver(botChannelId, [event]).catch(() => undefined);
    return true;
  }

  const pending = new Map<string, { plan: AuthorizePlan; request: AuthorizeRequest }>();

  r.get('/oauth2/v2.1/authorize', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const channel = q.client_id ? login.loginChannel(q.client_id) : undefined;
    if (!channel) return sendHtml(res, 400, '<h1>400 Bad Request</h1><p>Invalid client_id</p>');
    const redirectOk = !!q.redirect_uri && /^https?:\/\//.test(q.redirect_uri) && (channel.callbackUrls.length === 0 || channel.callbackUrls.some((u) => q.redirect_uri!.split('?')[0] === u.split('?')[0]));
    if (!redirectOk) return sendHtml(res, 400, '<h1>400 Bad Request</h1><p>Invalid redirect_uri value</p>');
    const fail = (error: string, description: string) => redirect(res, withQuery(q.redirect_uri!, { error, error_description: description, state: q.state }));
    if (q.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    if (!q.state) return fail('invalid_request', 'state is required');
    const scopes = (q.scope ?? '').split(/[ +]/).filter(Boolean);
    if (!scopes.length || scopes.some((s) => !SCOPES.includes(s)) || (scopes.includes('email') && !scopes.includes('openid'))) return fail('invalid_scope', 'invalid scope');
    if (q.code_challenge_method !== undefined && q.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (q.code_challenge_method && !q.code_challenge) return fail('invalid_request', 'code_challenge is required');
    if (q.bot_prompt !== undefined && !['normal', 'aggressive'].includes(q.bot_prompt)) return fail('invalid_request', 'invalid bot_prompt');
    const plan = login.takePlan();
    if (!plan) return sendHtml(res, 400, '<h1>LINE emulator</h1><p>No simulated user: call line.login.nextAuthorize({ userId }) first.</p>');
    const request = { channel, redirectUri: q.redirect_uri!, state: q.state, scopes, nonce: q.nonce, codeChallenge: q.code_challenge, botPrompt: q.bot_prompt };
    if (!plan.interactive) return finishAuthorize(res, plan, request);
    const id = newOpaqueToken();
    pending.set(id, { plan, request });
    sendHtml(res, 200, consentPage(id, channel.channelId, scopes));
  });

  /** The consent screen's buttons: "Allow" goes on as the plan says, "Cancel" is a denial. */
  r.post('/oauth2/v2.1/authorize/consent', async (req, res) => {
    const f = formBody(req, res);
    if (!f) return;
    const waiting = pending.get(f.session ?? '');
    if (!waiting) return sendHtml(res, 400, '<h1>400 Bad Request</h1><p>This consent screen has expired</p>');
    pending.delete(f.session);
    await finishAuthorize(res, { ...waiting.plan, consent: f.decision === 'allow' && waiting.plan.consent !== false }, waiting.request);
  });

  async function finishAuthorize(res: Response, plan: AuthorizePlan, q: AuthorizeRequest) {
    const fail = (error: string, description: string) => redirect(res, withQuery(q.redirectUri, { error, error_description: description, state: q.state }));
    if (plan.consent === false) return fail('access_denied', 'The resource owner denied the request.');
    let friendshipChanged: string | undefined;
    if (q.botPrompt && q.channel.botChannelId) {
      friendshipChanged = String(plan.addFriend ? await addFriend(q.channel.botChannelId, plan.userId) : false);
    }
    const code = login.issueCode({
      clientId: q.channel.channelId,
      redirectUri: q.redirectUri,
      userId: plan.userId,
      scopes: q.scopes,
      nonce: q.nonce,
      codeChallenge: q.codeChallenge,
      emailPermitted: !plan.withoutEmail,
      forgedIdToken: plan.forgedIdToken,
    });
    redirect(res, withQuery(q.redirectUri, { code, state: q.state, friendship_status_changed: friendshipChanged }));
  }

  function tokenAnswer(res: Response, token: UserToken, extra: Record<string, unknown> = {}) {
    const { accessToken, refreshToken } = login.issueUserToken(token);
    sendJson(res, 200, { access_token: accessToken, expires_in: USER_TOKEN_TTL_S, ...extra, refresh_token: refreshToken, scope: token.scopes.join(' '), token_type: 'Bearer' });
  }

  r.post('/oauth2/v2.1/token', (req, res) => {
    const f = formBody(req, res);
    if (!f) return;
    const channel = f.client_id ? login.loginChannel(f.client_id) : undefined;
    if (f.grant_type !== 'authorization_code' && f.grant_type !== 'refresh_token') return sendOAuthError(res, 400, 'unsupported_grant_type', 'unsupported grant_type');
    if (!channel || f.client_secret !== channel.channelSecret) return sendOAuthError(res, 400, 'invalid_client', 'invalid client_id or client_secret');
    if (f.grant_type === 'refresh_token') {
      const old = login.refreshTokens.get(f.refresh_token ?? '');
      if (!old || old.clientId !== channel.channelId) return sendOAuthError(res, 400, 'invalid_grant', 'invalid refresh token');
      login.refreshTokens.delete(f.refresh_token);
      return tokenAnswer(res, old);
    }
    const code = login.codes.get(f.code ?? '');
    if (!code || code.used || code.clientId !== channel.channelId || code.expiresAt <= state.clock.now()) return sendOAuthError(res, 400, 'invalid_grant', 'invalid authorization code');
    if (f.redirect_uri !== code.redirectUri) return sendOAuthError(res, 400, 'invalid_grant', 'redirect_uri does not match');
    if (code.codeChallenge) {
      const v = f.code_verifier ?? '';
      if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(v) || s256(v) !== code.codeChallenge) return sendOAuthError(res, 400, 'invalid_grant', 'invalid code_verifier');
    }
    code.used = true;
    const user = state.user(code.userId);
    const token = { clientId: channel.channelId, userId: user.userId, scopes: code.scopes, emailPermitted: code.emailPermitted, expiresAt: 0 };
    const idToken = code.scopes.includes('openid') ? { id_token: login.webIdToken(channel, user, code) } : {};
    tokenAnswer(res, token, idToken);
  });

  r.post('/oauth2/v2.1/verify', (req, res) => {
    const f = formBody(req, res);
    if (!f) return;
    const invalid = (d: string) => sendOAuthError(res, 400, 'invalid_request', d);
    const jwt = f.id_token ? decodeJwt(f.id_token) : undefined;
    if (!jwt || !f.client_id) return invalid('Invalid IdToken.');
    const channel = login.loginChannel(f.client_id);
    const signed = jwt.header.alg === 'ES256' ? verifyES256(jwt, login.es256) : !!channel && verifyHS256(jwt, channel.channelSecret);
    if (!signed) return invalid('Invalid IdToken Signature.');
    const claims = jwt.payload;
    if (claims.aud !== f.client_id) return invalid('Invalid IdToken Audience.');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= state.clock.now()) return invalid('IdToken expired.');
    if (f.nonce !== undefined && claims.nonce !== f.nonce) return invalid('Invalid IdToken Nonce.');
    if (f.user_id !== undefined && claims.sub !== f.user_id) return invalid('Invalid IdToken Subject Identifier.');
    sendJson(res, 200, claims);
  });

  function userToken(req: Request, res: Response): UserToken | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const token = m ? login.accessTokens.get(m[1]) : undefined;
    if (!token || token.expiresAt <= state.clock.now()) {
      sendLineError(res, 401, 'Authentication failed. Confirm that the access token in the authorization header is valid.');
      return undefined;
    }
    return token;
  }

  r.get('/v2/profile', (req, res) => {
    const token = userToken(req, res);
    if (!token) return;
    if (!token.scopes.includes('profile')) return sendLineError(res, 403, 'Not allowed to use the API (insufficient scope)');
    const u = state.user(token.userId);
    sendJson(res, 200, { userId: u.userId, displayName: u.displayName, ...(u.pictureUrl ? { pictureUrl: u.pictureUrl } : {}), ...(u.statusMessage ? { statusMessage: u.statusMessage } : {}) });
  });

  r.get('/friendship/v1/status', (req, res) => {
    const token = userToken(req, res);
    if (!token) return;
    const bot = login.loginChannel(token.clientId)?.botChannelId;
    sendJson(res, 200, { friendFlag: !!bot && state.isFollowing(bot, token.userId) });
  });

  r.get('/oauth2/v2.1/verify', (req, res) => {
    const value = String(req.query.access_token ?? '');
    const now = state.clock.now();
    const user = login.accessTokens.get(value);
    if (user && user.expiresAt > now) return sendJson(res, 200, { scope: user.scopes.join(' '), client_id: user.clientId, expires_in: Math.floor((user.expiresAt - now) / 1000) });
    const stateless = state.statelessTokens.get(value);
    if (stateless && stateless.expiresAt > now) return sendJson(res, 200, { client_id: stateless.channelId, expires_in: Math.floor((stateless.expiresAt - now) / 1000), scope: '' });
    sendOAuthError(res, 400, 'invalid_request', 'access token expired');
  });

  r.post('/oauth2/v2.1/revoke', (req, res) => {
    const f = formBody(req, res);
    if (!f) return;
    const channel = login.loginChannel(f.client_id ?? '');
    if (!channel || f.client_secret !== channel.channelSecret) return sendOAuthError(res, 400, 'invalid_client', 'invalid client_id or client_secret');
    login.accessTokens.delete(f.access_token ?? '');
    sendEmpty(res, 200);
  });

  r.get('/oauth2/v2.1/certs', (_req, res) => sendJson(res, 200, { keys: [login.es256.jwk] }));

  /** The account-link dialog the user opens with a link token: LINE then sends an accountLink event. */
  r.get('/dialog/bot/accountLink', async (req, res) => {
    const link = state.linkTokens.get(String(req.query.linkToken ?? ''));
    const nonce = String(req.query.nonce ?? '');
    if (!link || !nonce) return sendHtml(res, 400, '<h1>400 Bad Request</h1><p>Invalid linkToken or nonce</p>');
    state.linkTokens.delete(String(req.query.linkToken));
    const result = link.expiresAt > state.clock.now() ? 'ok' : 'failed';
    await webhooks.deliver(link.channelId, [events.accountLink(link.channelId, link.userId, nonce, result)]).catch(() => undefined);
    sendHtml(res, 200, `<h1>Account link ${result}</h1>`);
  });

  return r;
}
