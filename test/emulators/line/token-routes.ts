// Channel access tokens issued from the channel ID and secret: stateless (15 minutes,
// POST /oauth2/v3/token) and short-lived (30 days, POST /v2/oauth/accessToken), for Messaging API
// channels and LINE Login channels alike (a Login channel's token serves the LIFF server API).
import { Router } from 'express';
import type { Request, Response } from 'express';
import { formBody, sendJson, sendOAuthError } from './http.ts';
import { newAccessToken } from './ids.ts';
import type { LineState } from './state.ts';

const STATELESS_TTL_S = 900;
const SHORT_LIVED_TTL_S = 30 * 24 * 3600;

export function tokenRoutes(state: LineState): Router {
  const r = Router();

  function clientCredentials(req: Request, res: Response): { channelId: string } | undefined {
    const f = formBody(req, res);
    if (!f) return undefined;
    if (f.grant_type !== 'client_credentials') {
      sendOAuthError(res, 400, 'unsupported_grant_type', 'grant_type must be client_credentials');
      return undefined;
    }
    const channel: { channelId: string; channelSecret: string } | undefined = state.channels.get(f.client_id ?? '') ?? state.loginChannels.get(f.client_id ?? '');
    if (!channel || f.client_secret !== channel.channelSecret) {
      sendOAuthError(res, 400, 'invalid_client', 'invalid client_id or client_secret');
      return undefined;
    }
    return channel;
  }

  function issue(res: Response, channel: { channelId: string }, ttlSeconds: number) {
    const token = newAccessToken();
    state.statelessTokens.set(token, { channelId: channel.channelId, expiresAt: state.clock.now() + ttlSeconds * 1000 });
    res.locals.channelId = channel.channelId;
    sendJson(res, 200, { access_token: token, expires_in: ttlSeconds, token_type: 'Bearer' });
  }

  r.post('/oauth2/v3/token', (req, res) => {
    const channel = clientCredentials(req, res);
    if (channel) issue(res, channel, STATELESS_TTL_S);
  });

  r.post('/v2/oauth/accessToken', (req, res) => {
    const channel = clientCredentials(req, res);
    if (channel) issue(res, channel, SHORT_LIVED_TTL_S);
  });

  return r;
}
