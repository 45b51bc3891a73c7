// LINE Login v2.1 for one Login channel: the authorize URL, the code exchange (PKCE), ID token
// verification and the friendship status with the linked LINE Official Account. @line/bot-sdk has no
// client for these endpoints, so they are called with fetch; every failure is a LineApiError.
// ID tokens are verified by LINE (POST /oauth2/v2.1/verify checks the signature, HS256 for web logins
// and ES256 for LIFF, the audience, the expiry and the nonce); the claims LINE answers are checked again
// here, so a verify endpoint that answered for another channel or login is still refused.
import { z } from 'zod';
import type { Config } from '../config.ts';
import { callLine, LineApiError } from './line-channel.ts';

export const LINE_ID_TOKEN_ISSUER = 'https://access.line.me';

export interface LoginChannel {
  channelId: string;
  channelSecret: string;
}

export interface AuthorizeRequest {
  channelId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
  withEmail: boolean;
}

/** Where the browser goes to log in; `bot_prompt` offers to add the linked LINE Official Account as a friend. */
export function authorizeUrl(config: Config, r: AuthorizeRequest): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: r.channelId,
    redirect_uri: r.redirectUri,
    state: r.state,
    scope: r.withEmail ? 'openid profile email' : 'openid profile',
    nonce: r.nonce,
    bot_prompt: 'aggressive',
    code_challenge: r.codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${config.LINE_LOGIN_BASE_URL}/oauth2/v2.1/authorize?${params.toString().replace(/\+/g, '%20')}`;
}

/** The LIFF URL that opens a LIFF app inside LINE (or logs in first, outside it). */
export function liffUrl(liffId: string): string {
  return `https://liff.line.me/${encodeURIComponent(liffId)}`;
}

/** The LIFF SDK as LINE publishes it; pages load it from there and nowhere else. */
export const LIFF_SDK_URL = 'https://static.line-scdn.net/liff/edge/2/sdk.js';

async function answerOf(operation: string, response: Response): Promise<unknown> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (response.ok) return body;
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const message = [fields.error_description, fields.message, fields.error].find((m): m is string => typeof m === 'string' && m !== '');
  throw new LineApiError({
    status: response.status,
    operation,
    requestId: response.headers.get('x-line-request-id') ?? undefined,
    lineMessage: message,
    statusText: response.statusText || undefined,
    body,
  });
}

async function postForm(config: Config, operation: string, path: string, form: Record<string, string>): Promise<unknown> {
  return callLine(
    operation,
    async () => answerOf(operation, await fetch(`${config.LINE_API_BASE_URL}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) })),
    { timeoutMs: config.timings.line.loginCallTimeoutMs },
  );
}

const tokenAnswer = z.object({ access_token: z.string().min(1), id_token: z.string().min(1) });

function malformed(operation: string, what: string): LineApiError {
  return new LineApiError({ status: 502, operation, lineMessage: `LINE answered without ${what}` });
}

/** Exchanges the authorization code (with the PKCE verifier) for the user's access token and ID token. */
export async function exchangeLoginCode(config: Config, channel: LoginChannel, o: { code: string; redirectUri: string; codeVerifier: string }): Promise<{ accessToken: string; idToken: string }> {
  const answer = tokenAnswer.safeParse(
    await postForm(config, 'login token', '/oauth2/v2.1/token', {
      grant_type: 'authorization_code',
      code: o.code,
      redirect_uri: o.redirectUri,
      client_id: channel.channelId,
      client_secret: channel.channelSecret,
      code_verifier: o.codeVerifier,
    }),
  );
  if (!answer.success) throw malformed('login token', 'an ID token');
  return { accessToken: answer.data.access_token, idToken: answer.data.id_token };
}

const idTokenClaims = z.object({
  iss: z.string(),
  sub: z.string().regex(/^U[0-9a-f]{32}$/),
  aud: z.string(),
  exp: z.number(),
  nonce: z.string().optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
  email: z.string().optional(),
});

export interface VerifiedLineUser {
  lineUserId: string;
  displayName: string | null;
  pictureUrl: string | null;
  /** Present only when the user granted the email permission and their LINE account has an email. */
  email: string | null;
}

/** Thrown when LINE does not vouch for an ID token (bad signature, other channel, expired, wrong nonce). */
export class InvalidIdTokenError extends Error {
  constructor(reason: string) {
    super(`LINE ID token refused: ${reason}`);
    this.name = 'InvalidIdTokenError';
  }
}

/**
 * Has LINE verify the ID token for the channel (and the login's nonce, when it had one) and answers the
 * user it names. LINE's 400 means the token is not valid: that is InvalidIdTokenError, not a LINE failure.
 */
export async function verifyIdToken(config: Config, channelId: string, idToken: string, nonce?: string): Promise<VerifiedLineUser> {
  let answer: unknown;
  try {
    answer = await postForm(config, 'verify ID token', '/oauth2/v2.1/verify', { id_token: idToken, client_id: channelId, ...(nonce === undefined ? {} : { nonce }) });
  } catch (error) {
    if (error instanceof LineApiError && error.status === 400) throw new InvalidIdTokenError(error.lineMessage ?? 'refused by LINE');
    throw error;
  }
  const claims = idTokenClaims.safeParse(answer);
  if (!claims.success) throw new InvalidIdTokenError('LINE answered claims of an unexpected shape');
  const c = claims.data;
  if (c.iss !== LINE_ID_TOKEN_ISSUER) throw new InvalidIdTokenError('wrong issuer');
  if (c.aud !== channelId) throw new InvalidIdTokenError('issued for another channel');
  if (c.exp * 1000 <= Date.now()) throw new InvalidIdTokenError('expired');
  if (nonce !== undefined && c.nonce !== nonce) throw new InvalidIdTokenError('nonce of another login');
  const email = c.email && z.email().safeParse(c.email).success ? c.email : null;
  return { lineUserId: c.sub, displayName: c.name?.slice(0, 255) ?? null, pictureUrl: c.picture ?? null, email };
}

const friendship = z.object({ friendFlag: z.boolean() });

/** Whether the user has the Login channel's linked LINE Official Account as a friend (and has not blocked it). */
export async function friendshipStatus(config: Config, userAccessToken: string): Promise<boolean> {
  const operation = 'friendship status';
  const answer = await callLine(
    operation,
    async () => answerOf(operation, await fetch(`${config.LINE_API_BASE_URL}/friendship/v1/status`, { headers: { authorization: `Bearer ${userAccessToken}` } })),
    { timeoutMs: config.timings.line.loginCallTimeoutMs },
  );
  const parsed = friendship.safeParse(answer);
  if (!parsed.success) throw malformed(operation, 'friendFlag');
  return parsed.data.friendFlag;
}
