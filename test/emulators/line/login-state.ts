// LINE Login's side of the world: what the simulated user does on the consent screen, the
// authorization codes and user tokens issued, and ID tokens (HS256 web login, ES256 LIFF).
import { newOpaqueToken } from './ids.ts';
import { createEs256Key, signES256, signHS256 } from './jwt.ts';
import type { LineState, LoginChannel, SimUser } from './state.ts';

export interface AuthorizePlan {
  userId: string;
  /** false: the user cancels on the consent screen (error=access_denied). Default true. */
  consent?: boolean;
  /** With bot_prompt: the user adds the linked LINE Official Account as a friend. */
  addFriend?: boolean;
  /** The user declines the email permission. */
  withoutEmail?: boolean;
  /**
   * Show the consent screen and wait for a click on "Allow" or "Cancel" (a browser test), instead of
   * answering at once as the plan says. "Cancel" is consent: false.
   */
  interactive?: boolean;
  /**
   * What an attacker between LINE and the app could hand over instead of LINE's real ID token (LINE
   * itself never does this): `tampered` changes a claim after signing, `{ nonce }` is a genuine token of
   * another login that carried that nonce.
   */
  forgedIdToken?: 'tampered' | { nonce: string };
}

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  emailPermitted: boolean;
  forgedIdToken?: AuthorizePlan['forgedIdToken'];
  expiresAt: number;
  used: boolean;
}

export interface UserToken {
  clientId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
  emailPermitted: boolean;
}

export const CODE_TTL_MS = 10 * 60_000;
export const USER_TOKEN_TTL_S = 30 * 24 * 3600;
export const ID_TOKEN_TTL_S = 3600;
export const LINE_ISSUER = 'https://access.line.me';

export type LoginState = ReturnType<typeof createLoginState>;

export function createLoginState(state: LineState) {
  const queue: AuthorizePlan[] = [];
  let fallback: AuthorizePlan | null = null;
  const codes = new Map<string, AuthCode>();
  const accessTokens = new Map<string, UserToken>();
  const refreshTokens = new Map<string, UserToken>();
  const es256 = createEs256Key();

  function idTokenClaims(channelId: string, user: SimUser, scopes: string[], emailPermitted: boolean, nonce?: string) {
    const iat = Math.floor(state.clock.now() / 1000);
    const claims: Record<string, unknown> = { iss: LINE_ISSUER, sub: user.userId, aud: channelId, exp: iat + ID_TOKEN_TTL_S, iat };
    if (nonce) claims.nonce = nonce;
    claims.amr = ['linesso'];
    if (scopes.includes('profile')) {
      claims.name = user.displayName;
      if (user.pictureUrl) claims.picture = user.pictureUrl;
    }
    if (scopes.includes('email') && emailPermitted && user.email) claims.email = user.email;
    return claims;
  }

  function loginChannel(channelId: string): LoginChannel | undefined {
    return state.loginChannels.get(channelId);
  }

  return {
    codes,
    accessTokens,
    refreshTokens,
    es256,
    loginChannel,
    /** The next GET /oauth2/v2.1/authorize is answered as this user would (one-shot, in order). */
    nextAuthorize(plan: AuthorizePlan): void {
      state.user(plan.userId);
      queue.push(plan);
    },
    /** What the user does when no one-shot plan is queued (null: answer an error page). */
    setDefaultAuthorize(plan: AuthorizePlan | null): void {
      if (plan) state.user(plan.userId);
      fallback = plan;
    },
    takePlan: (): AuthorizePlan | null => queue.shift() ?? fallback,
    issueCode(code: Omit<AuthCode, 'expiresAt' | 'used'>): string {
      const value = newOpaqueToken().slice(0, 20);
      codes.set(value, { ...code, expiresAt: state.clock.now() + CODE_TTL_MS, used: false });
      return value;
    },
    issueUserToken(t: Omit<UserToken, 'expiresAt'>) {
      const accessToken = newOpaqueToken();
      const refreshToken = newOpaqueToken().slice(0, 20);
      const token = { ...t, expiresAt: state.clock.now() + USER_TOKEN_TTL_S * 1000 };
      accessTokens.set(accessToken, token);
      refreshTokens.set(refreshToken, token);
      return { accessToken, refreshToken };
    },
    /** A web-login ID token: HS256 signed with the login channel's secret (or the forgery the plan asked for). */
    webIdToken(channel: LoginChannel, user: SimUser, code: Pick<AuthCode, 'scopes' | 'emailPermitted' | 'nonce' | 'forgedIdToken'>): string {
      const forged = code.forgedIdToken;
      const nonce = typeof forged === 'object' ? forged.nonce : code.nonce;
      const token = signHS256(idTokenClaims(channel.channelId, user, code.scopes, code.emailPermitted, nonce), channel.channelSecret);
      if (forged !== 'tampered') return token;
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      claims.sub = `U${'0'.repeat(32)}`;
      return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    },
    /** The ID token liff.getIDToken() returns in the LIFF app `liffId` for this user: ES256, verifiable with the JWKS. */
    liffIdToken(o: { liffId: string; userId: string; nonce?: string; withoutEmail?: boolean }): string {
      const channel = [...state.loginChannels.values()].find((c) => c.liffIds.includes(o.liffId));
      if (!channel) throw new Error(`LINE emulator: no LINE Login channel has LIFF app ${o.liffId}`);
      return signES256(idTokenClaims(channel.channelId, state.user(o.userId), ['openid', 'profile', 'email'], !o.withoutEmail, o.nonce), es256);
    },
  };
}
