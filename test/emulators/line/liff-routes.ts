// The LIFF server API (api.line.me/liff/v1/apps), read side: the LIFF apps of the LINE Login channel
// whose channel access token (stateless or short-lived, issued for the Login channel) is presented.
import { Router } from 'express';
import { sendJson, sendLineError } from './http.ts';
import type { LineState } from './state.ts';

export function liffRoutes(state: LineState): Router {
  const r = Router();
  r.get('/liff/v1/apps', (req, res) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const channel = match ? state.loginChannelByToken(match[1]) : undefined;
    if (!channel) return sendLineError(res, 401, 'Authentication failed. Confirm that the access token in the authorization header is valid.');
    if (channel.liffIds.length === 0) return sendLineError(res, 404, 'There is no LIFF app on the channel.');
    sendJson(res, 200, {
      apps: channel.liffIds.map((liffId) => ({
        liffId,
        view: { type: 'full', url: channel.liffEndpoints.get(liffId) ?? 'https://example.com/liff' },
        description: 'LINE for HubSpot',
        permanentLinkPattern: 'concat',
        scope: ['openid', 'profile', 'email'],
        botPrompt: 'aggressive',
      })),
    });
  });
  return r;
}
