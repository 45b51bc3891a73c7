// Plays the LINE Platform's side of webhooks: signs `{ destination, events }` with the channel
// secret (x-line-signature), POSTs it to the channel's webhook URL and logs it for spec-check.
import { createHmac } from 'node:crypto';
import type { TrafficLog } from '../traffic-log.ts';
import type { WebhookEvent } from './events.ts';
import type { Channel, LineState } from './state.ts';
import { REDELIVERED_REPLY_TOKEN_TTL_MS } from './state.ts';

export interface WebhookAnswer {
  /** HTTP status of the receiver's answer; 0 when it could not be reached or timed out. */
  status: number;
  body: string;
}

export interface SentWebhook extends WebhookAnswer {
  channelId: string;
  url: string;
  payload: { destination: string; events: WebhookEvent[] };
  signature: string;
  at: number;
}

export function signBody(channelSecret: string, rawBody: string): string {
  return createHmac('sha256', channelSecret).update(rawBody).digest('base64');
}

export function createWebhookSender(state: LineState, log: TrafficLog, timeoutMs = 10_000) {
  const sentEvents = new Map<string, { channelId: string; event: WebhookEvent }>();
  const webhooks: SentWebhook[] = [];

  async function post(channel: Channel, url: string, events: WebhookEvent[]): Promise<WebhookAnswer> {
    const payload = { destination: channel.botUserId, events };
    const raw = JSON.stringify(payload);
    const signature = signBody(channel.channelSecret, raw);
    let answer: WebhookAnswer;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-line-signature': signature, 'user-agent': 'LineBotWebhook/2.0' },
        body: raw,
        signal: AbortSignal.timeout(timeoutMs),
      });
      answer = { status: res.status, body: await res.text() };
    } catch (e) {
      answer = { status: 0, body: String((e as Error).message) };
    }
    webhooks.push({ channelId: channel.channelId, url, payload, signature, at: state.clock.now(), ...answer });
    log.record({
      service: 'line-webhook',
      method: 'POST',
      path: new URL(url).pathname,
      status: answer.status,
      requestContentType: 'application/json',
      requestBody: payload,
      responseBody: answer.body,
    });
    return answer;
  }

  /** Sends events (possibly of many users) in one signed body to the channel's webhook URL. */
  async function deliver(channelId: string, events: object[], o: { redelivery?: boolean } = {}): Promise<WebhookAnswer> {
    const channel = state.channel(channelId);
    if (!channel.webhookUrl) throw new Error(`LINE emulator: channel ${channelId} has no webhook URL`);
    const sent = (events as WebhookEvent[]).map((e) => (o.redelivery ? { ...e, deliveryContext: { isRedelivery: true } } : e));
    for (const e of sent) if (typeof e.webhookEventId === 'string') sentEvents.set(e.webhookEventId, { channelId, event: e });
    return post(channel, channel.webhookUrl, sent);
  }

  /** Sends an already-sent event again with deliveryContext.isRedelivery = true. */
  async function redeliver(channelId: string, webhookEventId: string): Promise<WebhookAnswer> {
    const rec = sentEvents.get(webhookEventId);
    if (!rec || rec.channelId !== channelId) throw new Error(`LINE emulator: no event ${webhookEventId} was sent to channel ${channelId}`);
    // Reply tokens in redelivered events stay valid for a while longer than fresh ones.
    const token = typeof rec.event.replyToken === 'string' ? state.replyTokens.get(rec.event.replyToken) : undefined;
    if (token && !token.used) token.expiresAt = Math.max(token.expiresAt, rec.event.timestamp + REDELIVERED_REPLY_TOKEN_TTL_MS);
    return deliver(channelId, [rec.event], { redelivery: true });
  }

  /** The connectivity check of POST /v2/bot/channel/webhook/test: an empty events array. */
  const testEndpoint = (channel: Channel, url: string) => post(channel, url, []);

  return { webhooks, deliver, redeliver, testEndpoint };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
