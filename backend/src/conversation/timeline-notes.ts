// The conversation as notes on the contact timeline, one note per session (messages less than 30
// minutes apart), rewritten in place as the session grows, so the timeline stays readable. A note's
// hs_timestamp is its session start, stored before the create: a create whose answer was lost is found
// by it (lost-creates.ts) and rewritten, never made twice.
import { NOTE_ASSOCIATION_HUBSPOT_DEFINED } from '../hubspot/crm-enum-values.ts';
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import type { LinkRecord } from '../contacts/links.ts';
import type { HubSpotPortal } from '../hubspot/portal-client.ts';
import { escapeHtml, textToHtml } from '../http/html.ts';
import { updateConversation, type ConversationState } from './conversation-state.ts';
import { findLostCreates } from './lost-creates.ts';
import { loadSessionMessages, type LoggedMessage } from './logged-messages.ts';

export const NOTE_SESSION_GAP_MS = 30 * 60 * 1000;
const NOTE_TO_CONTACT = 202;
const CHUNK = 100;

export interface NoteItem {
  link: LinkRecord & { contactId: number };
  conversation: ConversationState;
  /** New messages to add (oldest first); empty when only a change to the session must show. */
  messages: LoggedMessage[];
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function renderNote(account: LineAccount, link: LinkRecord, messages: LoggedMessage[]): string {
  const customer = link.displayName ?? link.lineUserId;
  const lines = messages.map((m) => {
    const who = m.direction === 'inbound' ? customer : (m.senderName ?? account.displayName);
    return `<p>[${stamp(m.at)}] <strong>${escapeHtml(who)}</strong>: ${textToHtml(m.text)}</p>`;
  });
  return [`<p><strong>LINE · ${escapeHtml(account.displayName)}</strong></p>`, ...lines].join('');
}

/** Notes created without a known answer: the one HubSpot made becomes the session's note (rewritten below). */
async function recoverLostNotes(ctx: AppContext, hs: HubSpotPortal, portalId: number, items: NoteItem[]): Promise<void> {
  const lost = items
    .filter((item) => item.conversation.noteCreateMarker !== null)
    .map((item) => ({ conversation: item.conversation, contactId: item.link.contactId, timestamp: item.conversation.noteCreateMarker! }));
  if (lost.length === 0) return;
  const found = await findLostCreates(hs, 'notes', lost);
  for (const l of lost) {
    const noteId = found.get(l);
    // HubSpot's note may lack the session's latest messages: recorded as ending where it starts, the
    // session is continued by the pass below, which rewrites the note with all of it.
    const session = noteId ? { noteId, noteSessionStartedAt: l.timestamp, noteSessionLastAt: l.timestamp } : {};
    Object.assign(l.conversation, { noteCreateMarker: null }, session);
    await updateConversation(ctx, portalId, l.conversation.linkId, {
      note_create_marker: null,
      ...(noteId ? { note_id: noteId, note_session_started_at: l.timestamp, note_session_last_at: l.timestamp } : {}),
    });
  }
}

/** Adds the messages to the current session note of each conversation, or starts a new note. */
export async function writeNotes(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, items: NoteItem[]): Promise<void> {
  await recoverLostNotes(ctx, hs, account.portalId, items);
  const updates: Array<{ item: NoteItem; noteId: string; body: string; lastAt: number }> = [];
  for (const item of items) {
    const { conversation: c, messages } = item;
    const first = messages[0]?.at;
    const continues = c.noteId !== null && c.noteSessionLastAt !== null && (first === undefined || first - c.noteSessionLastAt <= NOTE_SESSION_GAP_MS);
    if (!continues && first === undefined) continue; // nothing new, and no current note to correct
    const sessionStart = continues ? c.noteSessionStartedAt! : first!;
    const session = await loadSessionMessages(ctx, account.portalId, account.id, item.link.lineUserId, sessionStart);
    if (session.length === 0) continue;
    const body = renderNote(account, item.link, session);
    const lastAt = Math.max(session[session.length - 1].at, c.noteSessionLastAt ?? 0);
    if (continues) {
      updates.push({ item, noteId: c.noteId!, body, lastAt });
      continue;
    }
    // One create per note: batch results cannot be matched back to their conversations.
    c.noteCreateMarker = sessionStart;
    await updateConversation(ctx, account.portalId, c.linkId, { note_create_marker: sessionStart });
    const note = await hs.call('notes.create', (client) =>
      client.crm.objects.notes.basicApi.create({
        properties: { hs_timestamp: new Date(sessionStart).toISOString(), hs_note_body: body },
        associations: [{ to: { id: String(item.link.contactId) }, types: [{ associationCategory: NOTE_ASSOCIATION_HUBSPOT_DEFINED, associationTypeId: NOTE_TO_CONTACT }] }],
      }),
      { idempotent: false },
    );
    Object.assign(c, { noteId: note.id, noteSessionStartedAt: sessionStart, noteSessionLastAt: lastAt, noteCreateMarker: null });
    await updateConversation(ctx, account.portalId, c.linkId, { note_id: note.id, note_session_started_at: sessionStart, note_session_last_at: lastAt, note_create_marker: null });
  }
  for (let i = 0; i < updates.length; i += CHUNK) {
    const slice = updates.slice(i, i + CHUNK);
    await hs.call('notes.batch.update', (client) =>
      client.crm.objects.notes.batchApi.update({ inputs: slice.map((u) => ({ id: u.noteId, properties: { hs_note_body: u.body } })) }),
    );
    for (const u of slice) {
      u.item.conversation.noteSessionLastAt = u.lastAt;
      await updateConversation(ctx, account.portalId, u.item.conversation.linkId, { note_session_last_at: u.lastAt });
    }
  }
}
