// Bot-side reads and chat controls: profiles, followers, bot info, groups, webhook endpoint
// settings and test, quota, loading animation, mark-as-read and link tokens.
import { Router } from 'express';
import { channelOf } from './auth.ts';
import { jsonBody, sendJson, sendLineError, sendValidationErrors } from './http.ts';
import { isUserId, newLinkToken } from './ids.ts';
import type { LineState } from './state.ts';
import type { WebhookSender } from './webhook-sender.ts';

const LINK_TOKEN_TTL_MS = 10 * 60_000;
const WEBHOOK_TESTS_PER_HOUR = 60;

/** LINE requires HTTPS webhooks; plain HTTP is accepted only on loopback so local backends can be tested. */
function acceptableWebhookUrl(v: unknown): v is string {
  if (typeof v !== 'string' || v.length > 500) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}

export function botRoutes(state: LineState, webhooks: WebhookSender): Router {
  const r = Router();
  const webhookTests = new Map<string, number[]>();

  r.get('/v2/bot/profile/:userId', (req, res) => {
    const channel = channelOf(res);
    const user = state.users.get(req.params.userId);
    if (!user || !state.isFollowing(channel.channelId, user.userId)) return sendLineError(res, 404, 'Not found');
    const { userId, displayName, pictureUrl, statusMessage, language } = user;
    sendJson(res, 200, { userId, displayName, ...(pictureUrl ? { pictureUrl } : {}), ...(statusMessage ? { statusMessage } : {}), ...(language ? { language } : {}) });
  });

  r.get('/v2/bot/followers/ids', (req, res) => {
    const channel = channelOf(res);
    const limit = Math.min(Number(req.query.limit ?? 300) || 300, 1000);
    const start = Number(req.query.start ?? 0) || 0;
    const all = [...state.users.keys()].filter((u) => state.isFollowing(channel.channelId, u));
    const userIds = all.slice(start, start + limit);
    sendJson(res, 200, start + limit < all.length ? { userIds, next: String(start + limit) } : { userIds });
  });

  r.get('/v2/bot/info', (_req, res) => {
    const c = channelOf(res);
    sendJson(res, 200, { userId: c.botUserId, basicId: c.basicId, displayName: c.displayName, pictureUrl: c.pictureUrl, chatMode: c.chatMode, markAsReadMode: c.markAsReadMode });
  });

  function groupOf(channelId: string, groupId: string) {
    const g = state.groups.get(groupId);
    return g && g.bots.has(channelId) ? g : undefined;
  }

  r.get('/v2/bot/group/:groupId/summary', (req, res) => {
    const g = groupOf(channelOf(res).channelId, req.params.groupId);
    if (!g) return sendLineError(res, 404, 'Not found');
    sendJson(res, 200, { groupId: g.groupId, groupName: g.groupName, pictureUrl: g.pictureUrl });
  });

  r.get('/v2/bot/group/:groupId/members/count', (req, res) => {
    const g = groupOf(channelOf(res).channelId, req.params.groupId);
    if (!g) return sendLineError(res, 404, 'Not found');
    sendJson(res, 200, { count: g.members.size });
  });

  r.get('/v2/bot/group/:groupId/members/ids', (req, res) => {
    const g = groupOf(channelOf(res).channelId, req.params.groupId);
    if (!g) return sendLineError(res, 404, 'Not found');
    const start = Number(req.query.start ?? 0) || 0;
    const all = [...g.members];
    const memberIds = all.slice(start, start + 100);
    sendJson(res, 200, start + 100 < all.length ? { memberIds, next: String(start + 100) } : { memberIds });
  });

  r.get('/v2/bot/group/:groupId/member/:userId', (req, res) => {
    const g = groupOf(channelOf(res).channelId, req.params.groupId);
    const user = state.users.get(req.params.userId);
    if (!g || !user || !g.members.has(user.userId)) return sendLineError(res, 404, 'Not found');
    sendJson(res, 200, { userId: user.userId, displayName: user.displayName, ...(user.pictureUrl ? { pictureUrl: user.pictureUrl } : {}) });
  });

  r.post('/v2/bot/group/:groupId/leave', (req, res) => {
    const g = groupOf(channelOf(res).channelId, req.params.groupId);
    if (!g) return sendLineError(res, 404, 'Not found');
    g.bots.delete(channelOf(res).channelId);
    sendJson(res, 200, {});
  });

  r.get('/v2/bot/channel/webhook/endpoint', (_req, res) => {
    const c = channelOf(res);
    if (!c.webhookUrl) return sendLineError(res, 404, 'Not found');
    sendJson(res, 200, { endpoint: c.webhookUrl, active: c.webhookActive });
  });

  r.put('/v2/bot/channel/webhook/endpoint', (req, res) => {
    const body = jsonBody(req, res);
    if (!body) return;
    if (!acceptableWebhookUrl(body.endpoint)) return sendValidationErrors(res, [{ message: 'must be a valid HTTPS URL (max 500 characters)', property: 'endpoint' }]);
    const c = channelOf(res);
    c.webhookUrl = body.endpoint;
    c.webhookActive = true;
    sendJson(res, 200, {});
  });

  r.post('/v2/bot/channel/webhook/test', async (req, res) => {
    const c = channelOf(res);
    const body = req.body === undefined ? {} : jsonBody(req, res);
    if (!body) return;
    const now = state.clock.now();
    const recent = (webhookTests.get(c.channelId) ?? []).filter((t) => t > now - 3_600_000);
    if (recent.length >= WEBHOOK_TESTS_PER_HOUR) return sendLineError(res, 429, 'The API rate limit has been exceeded. Try again later.');
    webhookTests.set(c.channelId, [...recent, now]);
    const url = body.endpoint ?? c.webhookUrl;
    if (!url) return sendLineError(res, 400, 'The webhook URL is not set');
    if (!acceptableWebhookUrl(url)) return sendValidationErrors(res, [{ message: 'must be a valid HTTPS URL (max 500 characters)', property: 'endpoint' }]);
    const answer = await webhooks.testEndpoint(c, url);
    const timestamp = new Date(now).toISOString();
    if (answer.status === 200) return sendJson(res, 200, { success: true, timestamp, statusCode: 200, reason: 'OK', detail: '200' });
    if (answer.status === 0) {
      const reason = /timeout|aborted/i.test(answer.body) ? 'request timeout' : 'could not connect';
      return sendJson(res, 200, { success: false, timestamp, statusCode: 0, reason, detail: answer.body });
    }
    sendJson(res, 200, { success: false, timestamp, statusCode: answer.status, reason: 'error status code', detail: String(answer.status) });
  });

  r.get('/v2/bot/message/quota', (_req, res) => {
    const c = channelOf(res);
    sendJson(res, 200, c.monthlyQuota === null ? { type: 'none' } : { type: 'limited', value: c.monthlyQuota });
  });

  r.get('/v2/bot/message/quota/consumption', (_req, res) => sendJson(res, 200, { totalUsage: channelOf(res).quotaUsed }));

  r.post('/v2/bot/chat/loading/start', (req, res) => {
    const body = jsonBody(req, res);
    if (!body) return;
    const c = channelOf(res);
    const seconds = body.loadingSeconds ?? 20;
    if (!isUserId(body.chatId)) return sendValidationErrors(res, [{ message: 'must be the user ID of a one-on-one chat', property: 'chatId' }]);
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 5 || seconds > 60 || seconds % 5 !== 0) {
      return sendValidationErrors(res, [{ message: 'must be a multiple of 5 between 5 and 60', property: 'loadingSeconds' }]);
    }
    if (state.isFollowing(c.channelId, body.chatId)) state.loadingShown.push({ channelId: c.channelId, chatId: body.chatId, loadingSeconds: seconds, at: state.clock.now() });
    sendJson(res, 202, {});
  });

  r.post('/v2/bot/chat/markAsRead', (req, res) => {
    const body = jsonBody(req, res);
    if (!body) return;
    const c = channelOf(res);
    const token = typeof body.markAsReadToken === 'string' ? state.markAsReadTokens.get(body.markAsReadToken) : undefined;
    if (!token || token.channelId !== c.channelId) return sendLineError(res, 400, 'Invalid markAsReadToken');
    state.readMarks.push({ channelId: c.channelId, userId: token.userId, at: state.clock.now() });
    sendJson(res, 200, {});
  });

  r.post('/v2/bot/message/markAsRead', (req, res) => {
    const body = jsonBody(req, res);
    if (!body) return;
    const userId = (body.chat as { userId?: unknown } | undefined)?.userId;
    if (!isUserId(userId)) return sendValidationErrors(res, [{ message: 'must be specified', property: 'chat.userId' }]);
    state.readMarks.push({ channelId: channelOf(res).channelId, userId, at: state.clock.now() });
    sendJson(res, 200, {});
  });

  r.post('/v2/bot/user/:userId/linkToken', (req, res) => {
    const c = channelOf(res);
    if (!state.isFollowing(c.channelId, req.params.userId)) return sendLineError(res, 400, 'Failed to issue link token');
    const linkToken = newLinkToken();
    state.linkTokens.set(linkToken, { channelId: c.channelId, userId: req.params.userId, expiresAt: state.clock.now() + LINK_TOKEN_TTL_MS });
    sendJson(res, 200, { linkToken });
  });

  return r;
}
