// Sending messages: push, reply, multicast, narrowcast, broadcast and the validate endpoints,
// with retry keys (409 on repeats), reply-token rules and the monthly quota.
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { channelOf } from './auth.ts';
import { jsonBody, sendJson, sendLineError, sendValidationErrors } from './http.ts';
import { isGroupId, isRoomId, isUserId, isUuid } from './ids.ts';
import type { Channel, DeliveryVia, LineState, SentMessage } from './state.ts';
import { RETRY_KEY_TTL_MS } from './state.ts';
import { REQUEST_PROPERTIES, unknownProperty, validateMessages } from './validation.ts';

const invalidProperty = (res: Response, prop: string) => sendLineError(res, 400, `The property, '${prop}', in the request body is invalid`);

const RETRY_KEY_PATHS = new Set(['/v2/bot/message/push', '/v2/bot/message/multicast', '/v2/bot/message/narrowcast', '/v2/bot/message/broadcast']);

/** LINE answers 400 when X-Line-Retry-Key is sent to an endpoint that does not support it (reply, profile, ...). */
export function rejectUnsupportedRetryKey(req: Request, res: Response, next: NextFunction): void {
  const path = new URL(req.originalUrl, 'http://emulator').pathname;
  if (req.headers['x-line-retry-key'] !== undefined && !RETRY_KEY_PATHS.has(path)) {
    return sendLineError(res, 400, 'The X-Line-Retry-Key header is not supported by this endpoint');
  }
  next();
}

export function messagingRoutes(state: LineState): Router {
  const r = Router();
  const requestIdOf = (res: Response) => String(res.getHeader('x-line-request-id'));

  /** Reads and checks X-Line-Retry-Key; answers 400 and returns false when it is not a UUID. */
  function retryKeyOf(req: Request, res: Response): { ok: boolean; key?: string } {
    const key = req.headers['x-line-retry-key'];
    if (key === undefined) return { ok: true };
    if (typeof key !== 'string' || !isUuid(key)) {
      sendLineError(res, 400, "The value for the 'X-Line-Retry-Key' header is invalid");
      return { ok: false };
    }
    return { ok: true, key: key.toLowerCase() };
  }

  /** Answers 409 when this retry key was already accepted within 24 hours. */
  function rejectRepeat(res: Response, channel: Channel, key: string | undefined, withSentMessages: boolean): boolean {
    if (!key) return false;
    const seen = state.retryKeys.get(state.key(channel.channelId, key));
    if (!seen || seen.at <= state.clock.now() - RETRY_KEY_TTL_MS) return false;
    res.set('x-line-accepted-request-id', seen.requestId);
    const extra = withSentMessages && seen.sentMessages ? { sentMessages: seen.sentMessages } : {};
    sendLineError(res, 409, 'The retry key is already accepted', undefined, extra);
    return true;
  }

  /** Common checks of a send request body; returns it when valid, after answering 400 otherwise. */
  function sendBody(req: Request, res: Response, kind: keyof typeof REQUEST_PROPERTIES, channel: Channel) {
    const body = jsonBody(req, res);
    if (!body) return undefined;
    const unknown = unknownProperty(body, REQUEST_PROPERTIES[kind]);
    if (unknown) return void invalidProperty(res, unknown);
    const details = validateMessages(body.messages, (t) => state.quoteTokens.get(t) === channel.channelId);
    if (details.length) return void sendValidationErrors(res, details);
    return body as Record<string, unknown> & { messages: object[] };
  }

  function overQuota(res: Response, channel: Channel, count: number): boolean {
    if (channel.monthlyQuota === null || channel.quotaUsed + count <= channel.monthlyQuota) return false;
    sendLineError(res, 429, 'You have reached your monthly limit.');
    return true;
  }

  /** Delivers to every target; delivered messages count against the quota, except replies (free). */
  function send(channel: Channel, targets: string[], via: DeliveryVia, messages: object[], requestId: string, retryKey?: string): SentMessage[] {
    const sentMessages = state.sentMessagesFor(channel.channelId, messages);
    for (const target of targets) {
      const delivered = state.deliver(channel.channelId, target, { via, messages, sentMessages, retryKey, requestId });
      if (delivered && via !== 'reply') channel.quotaUsed += 1;
    }
    if (retryKey) state.retryKeys.set(state.key(channel.channelId, retryKey), { requestId, sentMessages: via === 'push' ? sentMessages : undefined, at: state.clock.now() });
    return sentMessages;
  }

  const reachableCount = (channelId: string, targets: string[]) => targets.filter((t) => state.reachable(channelId, t)).length;

  r.post('/v2/bot/message/push', (req, res) => {
    const channel = channelOf(res);
    const retry = retryKeyOf(req, res);
    if (!retry.ok) return;
    const body = sendBody(req, res, 'push', channel);
    if (!body) return;
    const to = body.to;
    if (!(isUserId(to) || isGroupId(to) || isRoomId(to))) return invalidProperty(res, 'to');
    if (rejectRepeat(res, channel, retry.key, true)) return;
    // A destination LINE cannot send to: an unknown user, or a group the bot is not (or no longer) in. A user
    // who blocked the account is different: 200, nothing delivered.
    const group = state.groups.get(to);
    if (group ? !group.bots.has(channel.channelId) : !state.users.has(to)) return sendLineError(res, 400, 'Failed to send messages');
    if (overQuota(res, channel, reachableCount(channel.channelId, [to]))) return;
    const sentMessages = send(channel, [to], 'push', body.messages, requestIdOf(res), retry.key);
    sendJson(res, 200, { sentMessages });
  });

  r.post('/v2/bot/message/reply', (req, res) => {
    const channel = channelOf(res);
    const body = sendBody(req, res, 'reply', channel);
    if (!body) return;
    if (typeof body.replyToken !== 'string' || !body.replyToken) return sendValidationErrors(res, [{ message: 'must be specified', property: 'replyToken' }]);
    const token = state.replyTokens.get(body.replyToken);
    if (!token || token.used || token.channelId !== channel.channelId || token.expiresAt <= state.clock.now()) {
      return sendLineError(res, 400, 'Invalid reply token');
    }
    token.used = true;
    const sentMessages = send(channel, [token.target], 'reply', body.messages, requestIdOf(res));
    sendJson(res, 200, { sentMessages });
  });

  r.post('/v2/bot/message/multicast', (req, res) => {
    const channel = channelOf(res);
    const retry = retryKeyOf(req, res);
    if (!retry.ok) return;
    const body = sendBody(req, res, 'multicast', channel);
    if (!body) return;
    if (!Array.isArray(body.to) || body.to.length < 1 || body.to.length > 500) {
      return sendValidationErrors(res, [{ message: 'Size must be between 1 and 500', property: 'to' }]);
    }
    const bad = body.to.findIndex((t) => !isUserId(t));
    if (bad >= 0) return invalidProperty(res, `to[${bad}]`);
    if (rejectRepeat(res, channel, retry.key, false)) return;
    const targets = [...new Set(body.to as string[])];
    if (overQuota(res, channel, reachableCount(channel.channelId, targets))) return;
    send(channel, targets, 'multicast', body.messages, requestIdOf(res), retry.key);
    sendJson(res, 200, {});
  });

  const followers = (channelId: string) =>
    [...state.users.keys()].filter((userId) => state.isFollowing(channelId, userId));

  r.post('/v2/bot/message/broadcast', (req, res) => {
    const channel = channelOf(res);
    const retry = retryKeyOf(req, res);
    if (!retry.ok) return;
    const body = sendBody(req, res, 'broadcast', channel);
    if (!body) return;
    if (rejectRepeat(res, channel, retry.key, false)) return;
    const targets = followers(channel.channelId);
    if (overQuota(res, channel, targets.length)) return;
    send(channel, targets, 'broadcast', body.messages, requestIdOf(res), retry.key);
    sendJson(res, 200, {});
  });

  r.post('/v2/bot/message/narrowcast', (req, res) => {
    const channel = channelOf(res);
    const retry = retryKeyOf(req, res);
    if (!retry.ok) return;
    const body = sendBody(req, res, 'narrowcast', channel);
    if (!body) return;
    if (rejectRepeat(res, channel, retry.key, false)) return;
    // Audiences and demographic filters are not modelled: every follower matches; limit.max applies.
    const max = (body.limit as { max?: number } | undefined)?.max;
    const targets = followers(channel.channelId).slice(0, max ?? Infinity);
    if (overQuota(res, channel, targets.length)) return;
    send(channel, targets, 'narrowcast', body.messages, requestIdOf(res), retry.key);
    state.narrowcasts.set(requestIdOf(res), { channelId: channel.channelId, acceptedAt: state.clock.now(), count: targets.length });
    sendJson(res, 202, {});
  });

  r.get('/v2/bot/message/progress/narrowcast', (req, res) => {
    const progress = state.narrowcasts.get(String(req.query.requestId ?? ''));
    if (!progress || progress.channelId !== channelOf(res).channelId) return sendLineError(res, 404, 'Not found');
    const at = new Date(progress.acceptedAt).toISOString();
    sendJson(res, 200, {
      phase: 'succeeded',
      successCount: progress.count,
      failureCount: 0,
      targetCount: progress.count,
      acceptedTime: at,
      completedTime: at,
    });
  });

  r.post('/v2/bot/message/validate/:kind', (req, res) => {
    if (!['push', 'reply', 'multicast', 'narrowcast', 'broadcast'].includes(req.params.kind)) return sendLineError(res, 404, 'Not found');
    if (sendBody(req, res, 'validate', channelOf(res))) sendJson(res, 200, {});
  });

  return r;
}
