// LINE's loading animation ("typing…") while an agent writes: 1:1 chats only, at most once per
// TYPING_INTERVAL_MS per LINE user, and never an error for the agent (a 429 or outage only skips it).
import type { AppContext } from '../context.ts';
import { lineChannel } from '../line/line-channel.ts';
import type { Conversation } from './conversation.ts';
import { tryLineCall } from './line-call.ts';

export const TYPING_INTERVAL_MS = 5_000;
const LOADING_SECONDS = 10; // LINE accepts multiples of 5 from 5 to 60; a message sent earlier ends it
const MAX_TRACKED = 10_000;

const lastShown = new Map<string, number>();

function due(key: string, now: number): boolean {
  const previous = lastShown.get(key);
  if (previous !== undefined && now - previous < TYPING_INTERVAL_MS) return false;
  if (lastShown.size >= MAX_TRACKED) {
    for (const [k, at] of lastShown) if (now - at >= TYPING_INTERVAL_MS) lastShown.delete(k);
  }
  lastShown.set(key, now);
  return true;
}

export async function showTyping(ctx: AppContext, { account, link }: Conversation): Promise<{ shown: boolean }> {
  if (link.followStatus === 'blocked') return { shown: false };
  if (!due(`${account.id}:${link.lineUserId}`, Date.now())) return { shown: false };
  const line = lineChannel(ctx.config, account.channelAccessToken);
  const result = await tryLineCall(line, 'loading animation', (c) => c.messaging.showLoadingAnimation({ chatId: link.lineUserId, loadingSeconds: LOADING_SECONDS }), ctx.config.timings.line.quickCallTimeoutMs);
  if (!result.ok) ctx.logger.info({ accountId: account.id, reason: result.reason }, 'LINE loading animation not shown');
  return { shown: result.ok };
}
