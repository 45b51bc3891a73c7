// The workflow feature's only contact with LINE errors: one push or multicast with its retry key, and
// what its outcome means for the executions it carries. LINE's 409 on the retry key means an earlier
// attempt was accepted (sent); other 4xx are final; 429 (rate limit or monthly quota), 5xx, timeouts and
// network errors leave nothing sent and are retried.
import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { Config } from '../config.ts';
import { lineClients } from '../line/clients.ts';

export type SendOutcome = { kind: 'sent' } | { kind: 'refused'; reason: string } | { kind: 'transient'; reason: string };

export interface LineSend {
  channelAccessToken: string;
  to: string[];
  messages: messagingApi.Message[];
  retryKey: string;
  timeoutMs: number;
}

function reasonOf(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; details?: Array<{ message?: unknown; property?: unknown }> };
    const details = (parsed.details ?? []).map((d) => `${String(d.property ?? '')}: ${String(d.message ?? '')}`.replace(/^: /, ''));
    if (typeof parsed.message === 'string') return [`LINE ${status}: ${parsed.message}`, ...details].join('; ');
  } catch {
    // not JSON: the status alone
  }
  return `LINE answered HTTP ${status}`;
}

export async function sendToLine(config: Config, send: LineSend): Promise<SendOutcome> {
  const { messaging } = lineClients(config, send.channelAccessToken);
  const call = send.to.length === 1
    ? messaging.pushMessage({ to: send.to[0], messages: send.messages }, send.retryKey)
    : messaging.multicast({ to: send.to, messages: send.messages }, send.retryKey);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), send.timeoutMs)));
  try {
    const answer = await Promise.race([call, deadline]);
    if (answer === 'timeout') return { kind: 'transient', reason: `LINE did not answer within ${send.timeoutMs / 1000} s` };
    return { kind: 'sent' };
  } catch (error) {
    if (!(error instanceof HTTPFetchError)) return { kind: 'transient', reason: `Could not reach LINE: ${(error as Error).message}` };
    if (error.status === 409) return { kind: 'sent' };
    const reason = reasonOf(error.status, error.body);
    if (error.status === 429 || error.status >= 500) return { kind: 'transient', reason };
    return { kind: 'refused', reason };
  } finally {
    clearTimeout(timer);
  }
}
