// The LINE properties written on a contact for one account, computed from the link and the
// conversation state. The whole set is written each time, so a retried write is harmless.
import type { LineAccount } from '../accounts/repository.ts';
import { linePropertyName, type LinePropertyBase } from '../properties/property-names.ts';
import type { ConversationState } from '../conversation/conversation-state.ts';
import type { LinkRecord } from './links.ts';

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

export function lineContactProperties(account: LineAccount, link: LinkRecord, conversation: ConversationState | undefined): Record<string, string> {
  const values: Partial<Record<LinePropertyBase, string | undefined>> = {
    line_user_id: link.lineUserId,
    line_display_name: link.displayName ?? undefined,
    line_picture_url: link.pictureUrl ?? undefined,
    line_follow_status: link.followStatus,
    line_friend_added_at: iso(link.friendAddedAt),
    line_linked_at: iso(link.linkedAt),
    line_unanswered: conversation ? String(conversation.unanswered) : undefined,
    // Cleared (empty) once answered, so lists of waiting contacts show only current messages.
    line_unanswered_message: conversation ? (conversation.unanswered ? (conversation.unansweredMessage ?? '') : '') : undefined,
    line_last_inbound_at: iso(conversation?.lastInboundAt ?? null),
    line_last_outbound_at: iso(conversation?.lastOutboundAt ?? null),
  };
  const properties: Record<string, string> = {};
  for (const [base, value] of Object.entries(values)) {
    if (value !== undefined) properties[linePropertyName(base as LinePropertyBase, account.sequence)] = value;
  }
  return properties;
}
