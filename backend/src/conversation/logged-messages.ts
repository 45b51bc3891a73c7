// Messages as the timeline shows them, read from the conversation log (messages table).
import type { AppContext } from '../context.ts';
import { UNSENT_SUMMARY } from './message-summary.ts';
import { messagesByIds, sessionMessages, type MessageRow } from './messages.ts';

export interface LoggedMessage {
  id: number;
  linkKey: string; // `${accountId}:${lineUserId}`
  direction: 'inbound' | 'outbound';
  type: string;
  text: string;
  at: number;
  senderName: string | null;
}

function fromRow(row: Partial<MessageRow>): LoggedMessage {
  const direction = row.direction === 'outbound' ? 'outbound' : 'inbound';
  const at = Number(direction === 'outbound' && row.sent_at !== null && row.sent_at !== undefined ? row.sent_at : row.created_at);
  return {
    id: Number(row.id),
    linkKey: `${row.line_account_id}:${row.line_user_id}`,
    direction,
    type: String(row.type),
    text: row.status === 'unsent' ? UNSENT_SUMMARY : String(row.text ?? `[${row.type}]`),
    at,
    senderName: (row.sender_name as string | null) ?? null,
  };
}

const COLUMNS: Array<keyof MessageRow> = ['id', 'line_account_id', 'line_user_id', 'direction', 'type', 'text', 'status', 'created_at', 'sent_at', 'sender_name'];

export async function loadLoggedMessages(ctx: AppContext, portalId: number, ids: number[]): Promise<LoggedMessage[]> {
  const out: LoggedMessage[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await messagesByIds(ctx, portalId, ids.slice(i, i + 500), COLUMNS);
    out.push(...rows.map(fromRow));
  }
  return out.sort((a, b) => a.at - b.at || a.id - b.id);
}

/** The messages of one conversation since `since` (a timeline note session), oldest first; failed sends are left out. */
export async function loadSessionMessages(ctx: AppContext, portalId: number, accountId: number, lineUserId: string, since: number, limit = 200): Promise<LoggedMessage[]> {
  const rows = await sessionMessages(ctx, { portalId, accountId, lineUserId }, since, limit, COLUMNS);
  return rows.map(fromRow);
}
