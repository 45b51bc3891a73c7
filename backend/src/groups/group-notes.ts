// The group conversation as notes on the company timeline, one note per session (messages less than 30
// minutes apart) rewritten in place as the session grows, as the contact timeline's notes are. Each member
// is shown by name. A note's hs_timestamp (its session start) is stored before the create, so a create
// whose answer was lost is found by it and rewritten, never made twice.
import { NOTE_ASSOCIATION_HUBSPOT_DEFINED } from '../hubspot/crm-enum-values.ts';
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { UNSENT_SUMMARY } from '../conversation/message-summary.ts';
import { NOTE_SESSION_GAP_MS } from '../conversation/timeline-notes.ts';
import type { HubSpotPortal } from '../hubspot/portal-client.ts';
import { escapeHtml, textToHtml } from '../http/html.ts';
import { findLostCompanyCreate } from './company-lost-creates.ts';
import { updateGroupConversation, type GroupConversation } from './group-conversations.ts';
import { groupMembers } from './group-members.ts';
import { groupSessionMessages, type GroupMessageRow } from './group-messages.ts';
import type { GroupRecord } from './groups.ts';

const NOTE_TO_COMPANY = 190;

const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
const messageAt = (m: GroupMessageRow) => Number(m.direction === 'outbound' && m.sent_at !== null ? m.sent_at : m.created_at);

async function renderNote(ctx: AppContext, account: LineAccount, group: GroupRecord, messages: GroupMessageRow[]): Promise<string> {
  const senders = [...new Set(messages.flatMap((m) => (m.line_user_id ? [m.line_user_id] : [])))];
  const names = new Map((await groupMembers(ctx, group, senders)).map((m) => [m.lineUserId, m.displayName]));
  const lines = messages.map((m) => {
    const who = m.direction === 'inbound' ? (names.get(m.line_user_id ?? '') ?? m.line_user_id ?? '?') : (m.sender_name ?? account.displayName);
    const text = m.status === 'unsent' ? UNSENT_SUMMARY : (m.text ?? `[${m.type}]`);
    return `<p>[${stamp(messageAt(m))}] <strong>${escapeHtml(who)}</strong>: ${textToHtml(text)}</p>`;
  });
  return [`<p><strong>LINE group · ${escapeHtml(group.name ?? group.groupId)} · ${escapeHtml(account.displayName)}</strong></p>`, ...lines].join('');
}

/** Brings the company's session note up to date with the group log from `firstNewAt` on (the earliest new or changed message). */
export async function writeGroupNote(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, group: GroupRecord & { companyId: number }, c: GroupConversation, firstNewAt: number): Promise<void> {
  if (account.timelineMode === 'off') return;
  if (c.noteCreateMarker !== null) {
    const noteId = await findLostCompanyCreate(hs, 'notes', group.companyId, c.noteCreateMarker);
    const session = noteId ? { noteId, noteSessionStartedAt: c.noteCreateMarker, noteSessionLastAt: c.noteCreateMarker } : {};
    const columns = noteId ? { note_id: noteId, note_session_started_at: c.noteCreateMarker, note_session_last_at: c.noteCreateMarker } : {};
    Object.assign(c, { noteCreateMarker: null }, session);
    await updateGroupConversation(ctx, c, { note_create_marker: null, ...columns });
  }
  const continues = c.noteId !== null && c.noteSessionLastAt !== null && firstNewAt - c.noteSessionLastAt <= NOTE_SESSION_GAP_MS;
  const sessionStart = continues ? c.noteSessionStartedAt! : firstNewAt;
  const session = await groupSessionMessages(ctx, group, sessionStart);
  if (session.length === 0) return;
  const body = await renderNote(ctx, account, group, session);
  const lastAt = Math.max(...session.map(messageAt), c.noteSessionLastAt ?? 0);
  if (continues) {
    await hs.call('notes.update', (client) => client.crm.objects.notes.basicApi.update(c.noteId!, { properties: { hs_note_body: body } }));
    c.noteSessionLastAt = lastAt;
    await updateGroupConversation(ctx, c, { note_session_last_at: lastAt });
    return;
  }
  c.noteCreateMarker = sessionStart;
  await updateGroupConversation(ctx, c, { note_create_marker: sessionStart });
  const note = await hs.call('notes.create', (client) =>
    client.crm.objects.notes.basicApi.create({
      properties: { hs_timestamp: new Date(sessionStart).toISOString(), hs_note_body: body },
      associations: [{ to: { id: String(group.companyId) }, types: [{ associationCategory: NOTE_ASSOCIATION_HUBSPOT_DEFINED, associationTypeId: NOTE_TO_COMPANY }] }],
    }),
    { idempotent: false },
  );
  Object.assign(c, { noteId: note.id, noteSessionStartedAt: sessionStart, noteSessionLastAt: lastAt, noteCreateMarker: null });
  await updateGroupConversation(ctx, c, { note_id: note.id, note_session_started_at: sessionStart, note_session_last_at: lastAt, note_create_marker: null });
}
