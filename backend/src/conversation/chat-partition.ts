// How the partitions of a LINE chat's jobs are keyed (inbound events, link syncs of the same user).

/** One partition per chat of an account, so the events of one LINE user (or group) run one at a time, in order. */
export function inboundPartitionKey(accountId: number, chatId: string | undefined): string {
  return `line:${accountId}:${chatId ?? 'none'}`;
}
