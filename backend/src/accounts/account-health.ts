// The live part of an account's health, asked of LINE when the settings page lists the accounts:
// whether the stored token still works, and how many messages are left this month.
import type { Config } from '../config.ts';
import { lineChannel, type LineClients } from '../line/line-channel.ts';
import { lineErrorMessage } from './line-errors.ts';

export interface MessageQuota {
  /** null: no monthly limit (LINE's quota type "none"). */
  limit: number | null;
  used: number;
  /** null when there is no limit. */
  remaining: number | null;
}

export interface LiveHealth {
  tokenValid: boolean;
  /** Why the token check failed (LINE's message), when it did. */
  tokenError: string | null;
  quota: MessageQuota | null;
}

export async function liveHealth(config: Config, accessToken: string): Promise<LiveHealth> {
  const line = lineChannel(config, accessToken);
  const call = <T>(operation: string, fn: (c: LineClients) => Promise<T>) => line.call(operation, fn, { timeoutMs: config.timings.line.healthCheckTimeoutMs });
  const [info, quota, consumption] = await Promise.allSettled([
    call('bot info', (c) => c.messaging.getBotInfo()),
    call('message quota', (c) => c.messaging.getMessageQuota()),
    call('quota consumption', (c) => c.messaging.getMessageQuotaConsumption()),
  ]);
  let messageQuota: MessageQuota | null = null;
  if (quota.status === 'fulfilled' && consumption.status === 'fulfilled') {
    const used = Number(consumption.value.totalUsage ?? 0);
    const limit = quota.value.type === 'limited' && typeof quota.value.value === 'number' ? quota.value.value : null;
    messageQuota = { limit, used, remaining: limit === null ? null : Math.max(0, limit - used) };
  }
  return {
    tokenValid: info.status === 'fulfilled',
    tokenError: info.status === 'rejected' ? lineErrorMessage(info.reason) : null,
    quota: messageQuota,
  };
}
