// Shapes of the backend's company group chat API (backend/src/group-chat) as the company card receives
// them; test/contracts/api-types.test.ts fails `npm test` when the two drift. Group messages are the 1:1
// chat's messages (types.ts) with the member who wrote them.
import type { ChatMessage } from '../api/types.ts';

/** A LINE group the account is in, as the card shows it. */
export interface GroupSummary {
  groupId: string;
  name: string | null;
  pictureUrl: string | null;
  lastMessage: { text: string | null; at: number } | null;
}

export interface LinkedGroup extends GroupSummary {
  memberCount: number | null;
  unanswered: { since: number; text: string | null } | null;
  /** When the account was removed from the group: nothing can be sent any more, the history stays. */
  leftAt: number | null;
}

export interface GroupAccountStatus {
  account: { id: number; name: string; pictureUrl: string | null; basicId: string | null };
  group: LinkedGroup | null;
  /** The account's groups not linked to any company yet, to pick from while `group` is null. */
  unlinkedGroups: GroupSummary[];
}

export interface CompanyLineStatus {
  companyId: number;
  accounts: GroupAccountStatus[];
}

export interface GroupChatMessage extends ChatMessage {
  /** The member who wrote an inbound message; null for ours. */
  member: { lineUserId: string; displayName: string | null; pictureUrl: string | null } | null;
}

export interface GroupHistoryPage {
  messages: GroupChatMessage[];
  hasMore: boolean;
  cursor: { before: number | null; after: number; since: number };
}

export interface GroupUpdatesAnswer {
  messages: GroupChatMessage[];
  cursor: { after: number; since: number };
  nextPollMs: number;
}
