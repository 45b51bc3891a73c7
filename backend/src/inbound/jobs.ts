// Job types of inbound processing and how their partitions are keyed.

export const INBOUND_EVENT_JOB = 'inbound.event';

/** One partition per chat of an account, so the events of one LINE user (or group) run one at a time, in order. */
export function inboundPartitionKey(accountId: number, chatId: string | undefined): string {
  return `line:${accountId}:${chatId ?? 'none'}`;
}
