// X-Line-Retry-Key of a chat message: a UUID derived from the stored message (its log, channel, id, creation
// time), so every attempt to send the same message carries the same key and LINE delivers it at most once.
// Group chats keep their own log, whose ids are not the 1:1 log's: `log` keeps their keys apart.
import { createHash } from 'node:crypto';

/** The log a chat message is kept in: a contact's 1:1 chat, or a company's LINE group. */
export type ChatLog = 'chat' | 'group-chat';

export function chatRetryKey(channelId: string, messageId: number, createdAt: number, log: ChatLog): string {
  const hash = createHash('sha256').update(`line-for-hubspot:${log}:${channelId}:${messageId}:${createdAt}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5 layout (name-based, here with SHA-256)
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
