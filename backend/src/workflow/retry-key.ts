// X-Line-Retry-Key of a workflow send: a UUID derived from what caused it (the executions' callbackIds),
// so every attempt, in any process, after any crash, carries the same key and LINE delivers once.
import { createHash } from 'node:crypto';

export function workflowRetryKey(channelId: string, callbackIds: string[]): string {
  const hash = createHash('sha256').update(`line-for-hubspot:workflow:${channelId}:${[...callbackIds].sort().join(',')}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5 layout (name-based, here with SHA-256)
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
