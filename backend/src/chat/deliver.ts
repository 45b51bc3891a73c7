// Hands one chat message to LINE (to a user, or a group): with the free reply API when the chat's reply
// token is still fresh, otherwise (or when LINE rejects the token) with push and the message's X-Line-Retry-Key.
// A 409 on the retry key means LINE already accepted this message: it counts as sent.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { lineChannel, type LineMessage } from '../line/line-channel.ts';
import { tryLineCall } from './line-call.ts';

export type Delivery =
  | { ok: true; via: 'reply' | 'push'; lineMessageId: string | null; quoteToken: string | null }
  | { ok: false; reason: string; status: number | null };

interface SentMessages {
  sentMessages?: Array<{ id?: string; quoteToken?: string }>;
}

// From a push or reply answer, or from a push's 409 error body, where LINE repeats the original sentMessages.
function firstSent(response: unknown): { lineMessageId: string | null; quoteToken: string | null } {
  const sent = typeof response === 'object' && response !== null ? (response as SentMessages).sentMessages?.[0] : undefined;
  return { lineMessageId: sent?.id ?? null, quoteToken: sent?.quoteToken ?? null };
}

/** `takeReplyToken` claims the chat's reply token, if a fresh one may be used (never for a retry). */
export async function deliverChatMessage(
  ctx: AppContext,
  account: LineAccount,
  to: string,
  message: LineMessage,
  options: { retryKey: string; takeReplyToken?: () => Promise<string | undefined> },
): Promise<Delivery> {
  const line = lineChannel(ctx.config, account.channelAccessToken);
  const { chatCallTimeoutMs, replyConfirmTimeoutMs } = ctx.config.timings.line;
  const replyToken = await options.takeReplyToken?.();
  if (replyToken) {
    const reply = (timeoutMs: number) => tryLineCall(line, 'reply', (c) => c.messaging.replyMessage({ replyToken, messages: [message] }), timeoutMs);
    let replied = await reply(chatCallTimeoutMs);
    if (!replied.ok && replied.status === null) {
      // No answer: the reply may have been delivered. The same token again settles it while the token is
      // surely still valid (takeReplyToken leaves margin for both calls): LINE refusing it now means the
      // first call used it, i.e. the message went out.
      const again = await reply(replyConfirmTimeoutMs);
      if (!again.ok && again.status === 400 && /reply token/i.test(again.reason)) return { ok: true, via: 'reply', lineMessageId: null, quoteToken: null };
      replied = again;
    }
    if (replied.ok) return { ok: true, via: 'reply', ...firstSent(replied.value) };
    // When LINE answers with an error nothing was sent (400: the token expired or was used meanwhile;
    // 429/5xx: LINE could not take it), so push is safe. Without an answer (timeout, network) the reply
    // may have been delivered, and a reply has no retry key to make a second attempt safe: report it.
    if (replied.status === null) return { ok: false, reason: replied.reason, status: null };
    ctx.logger.info({ accountId: account.id, reason: replied.reason }, 'reply refused by LINE; sending the chat message by push');
  }
  const pushed = await tryLineCall(line, 'push', (c) => c.messaging.pushMessage({ to, messages: [message] }, options.retryKey), chatCallTimeoutMs);
  if (pushed.ok) return { ok: true, via: 'push', ...firstSent(pushed.value) };
  if (pushed.status === 409) return { ok: true, via: 'push', ...firstSent(pushed.body) };
  return { ok: false, reason: pushed.reason, status: pushed.status };
}
