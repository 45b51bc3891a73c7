// A contact linked on several LINE accounts gets one primary "Open LINE chat" (HubSpot's guidance: one
// primary action per surface): the conversation a rep most likely came for, the one waiting for an
// answer, else the one with the newest message. A user who blocked the account is never it: that chat
// is only history.
import type { AccountStatus } from '../api/types.ts';

export function primaryChatAccountId(entries: readonly AccountStatus[]): number | null {
  const rank = (entry: AccountStatus): [number, number] => [entry.unanswered ? 1 : 0, entry.lastMessageAt ?? -1];
  let best: AccountStatus | null = null;
  for (const entry of entries) {
    if (!entry.link || entry.link.followStatus === 'blocked') continue;
    if (best === null) {
      best = entry;
      continue;
    }
    const [waiting, newest] = rank(entry);
    const [bestWaiting, bestNewest] = rank(best);
    if (waiting > bestWaiting || (waiting === bestWaiting && newest > bestNewest)) best = entry;
  }
  return best?.account.id ?? null;
}
