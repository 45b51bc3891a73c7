// The workflow feature's only contact with LINE errors: one push or multicast with its retry key, and
// what its outcome means for the executions it carries. LINE's 409 on the retry key means an earlier
// attempt was accepted (sent); other 4xx are final; 429 (rate limit or monthly quota), 5xx, timeouts and
// network errors leave nothing sent and are retried. Also LINE's verdict on messages (validate endpoints).
import type { Config } from '../config.ts';
import { LineApiError, lineChannel, type LineMessage } from '../line/line-channel.ts';

export type SendOutcome = { kind: 'sent' } | { kind: 'refused'; reason: string; status: number } | { kind: 'transient'; reason: string };

export interface LineSend {
  channelAccessToken: string;
  to: string[];
  messages: LineMessage[];
  retryKey: string;
  timeoutMs: number;
}

/** What a marketer reads in line_error: LINE's own words, with the fields it names. */
function reasonOf(error: LineApiError): string {
  if (error.status === 0) return error.isTimeout ? `LINE did not answer within ${(error.timeoutMs ?? 0) / 1000} s` : `Could not reach LINE: ${error.transportFailure ?? 'no answer'}`;
  const details = error.details.map((d) => (d.property ? `${d.property}: ${d.message}` : d.message));
  return [`LINE ${error.status}: ${error.lineMessage ?? `HTTP ${error.status}`}`, ...details].join('; ');
}

export type Verdict = { valid: true } | { valid: false; problem: string };

/**
 * LINE's own check of the messages (validate/push or validate/multicast): its 400 is a verdict; any other
 * failure gives none (undefined) and the send itself will meet whatever LINE objects to.
 */
export async function validateOnLine(config: Config, check: { channelAccessToken: string; messages: LineMessage[]; kind: 'push' | 'multicast'; timeoutMs: number }): Promise<Verdict | undefined> {
  const line = lineChannel(config, check.channelAccessToken);
  const body = { messages: check.messages };
  try {
    await line.call(`validate.${check.kind}`, (c) => (check.kind === 'push' ? c.messaging.validatePush(body) : c.messaging.validateMulticast(body)), { timeoutMs: check.timeoutMs });
    return { valid: true };
  } catch (error) {
    if (!(error instanceof LineApiError)) throw error;
    return error.status === 400 ? { valid: false, problem: reasonOf(error) } : undefined;
  }
}

export async function sendToLine(config: Config, send: LineSend): Promise<SendOutcome> {
  const line = lineChannel(config, send.channelAccessToken);
  try {
    if (send.to.length === 1) {
      await line.call('push', (c) => c.messaging.pushMessage({ to: send.to[0], messages: send.messages }, send.retryKey), { timeoutMs: send.timeoutMs });
    } else {
      await line.call('multicast', (c) => c.messaging.multicast({ to: send.to, messages: send.messages }, send.retryKey), { timeoutMs: send.timeoutMs });
    }
    return { kind: 'sent' };
  } catch (error) {
    if (!(error instanceof LineApiError)) throw error;
    if (error.isConflict) return { kind: 'sent' };
    if (error.isTransient || error.status === 429) return { kind: 'transient', reason: reasonOf(error) };
    return { kind: 'refused', reason: reasonOf(error), status: error.status };
  }
}
