// Messages arrive from several places (history pages, the long-poll, send answers), sometimes the same
// message twice in different states: keep one copy per id, the most recently changed, ordered by id.
import type { ChatMessage } from '../api/types.ts';

export function mergeMessages<M extends ChatMessage>(current: M[], incoming: M[]): M[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) {
    const known = byId.get(message.id);
    if (!known || message.updatedAt >= known.updatedAt) byId.set(message.id, message);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
