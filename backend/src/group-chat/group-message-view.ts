// What the company's chat panel shows for a group message: the 1:1 chat's message view (content, delivery
// state, who of ours sent it) plus, for what members wrote, the member's name and picture as LINE's group
// member profile gave them. Shapes here are the API's response contract.
import type { AppContext } from '../context.ts';
import { messageView, type MessageView } from '../chat/message-view.ts';
import { groupMembers } from '../groups/group-members.ts';
import type { GroupMessageRow } from '../groups/group-messages.ts';
import type { GroupRecord } from '../groups/groups.ts';
import { groupMediaLinkerFor } from '../media/group-media-links.ts';

export interface GroupMessageView extends MessageView {
  /** The member who wrote an inbound message; null for ours. */
  member: { lineUserId: string; displayName: string | null; pictureUrl: string | null } | null;
}

/** GET /api/companies/:companyId/messages: a page of the group's history, as the 1:1 chat's pages. */
export interface GroupHistoryPage {
  messages: GroupMessageView[];
  hasMore: boolean;
  cursor: { before: number | null; after: number; since: number };
}

/** GET /api/companies/:companyId/messages/updates: messages new or changed since the cursor. */
export interface GroupUpdatesAnswer {
  messages: GroupMessageView[];
  cursor: { after: number; since: number };
  nextPollMs: number;
}

/** Nothing is retried in a group the account left: LINE would refuse it again. */
export async function groupMessageViews(ctx: AppContext, group: GroupRecord, rows: GroupMessageRow[]): Promise<GroupMessageView[]> {
  const writers = [...new Set(rows.flatMap((r) => (r.direction === 'inbound' && r.line_user_id ? [r.line_user_id] : [])))];
  const members = new Map((writers.length ? await groupMembers(ctx, group, writers) : []).map((m) => [m.lineUserId, m]));
  const linkMedia = await groupMediaLinkerFor(ctx, group.portalId, rows);
  const now = Date.now();
  return rows.map((row) => {
    const member = row.line_user_id ? members.get(row.line_user_id) : undefined;
    const view = messageView(row, linkMedia, now);
    return {
      ...view,
      canRetry: view.canRetry && group.leftAt === null,
      member: row.direction === 'inbound' && row.line_user_id ? { lineUserId: row.line_user_id, displayName: member?.displayName ?? null, pictureUrl: member?.pictureUrl ?? null } : null,
    };
  });
}
