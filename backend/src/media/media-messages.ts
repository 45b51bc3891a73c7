// The message a piece of media belongs to, from the 1:1 log (conversation/) or a group's log (groups/):
// what the download needs (LINE's message id, the account, the type) and what the route checks (unsent,
// the file name). Both logs answer the same columns.
import type { AppContext } from '../context.ts';
import { MEDIA_TYPES } from '../conversation/message-summary.ts';
import { findMessageById } from '../conversation/messages.ts';
import { findGroupMessage } from '../groups/group-messages.ts';
import type { MediaSource } from './media-store.ts';

export interface MediaMessage {
  direction: 'inbound' | 'outbound';
  status: string;
  type: string;
  line_account_id: number;
  line_message_id: string | null;
  payload: string;
}

export async function findMediaMessage(ctx: AppContext, source: MediaSource, portalId: number, messageId: number): Promise<MediaMessage | undefined> {
  return source === 'group' ? findGroupMessage(ctx, portalId, messageId) : findMessageById(ctx, portalId, messageId);
}

/** Whether the content of a received message is LINE's to download (not a URL of an external provider). */
export function hostedByLine(message: { type: string; contentProvider?: { type: string } }): boolean {
  return MEDIA_TYPES.has(message.type) && (message.contentProvider?.type ?? 'line') === 'line';
}
