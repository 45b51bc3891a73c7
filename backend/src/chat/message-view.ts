// What the chat panel shows for one stored message: the bubble content derived from the LINE message
// object, who sent it and its delivery state. Shapes here are the API's response contract.
import type { FollowStatus } from '../contacts/links.ts';

export type MessageStatus = 'received' | 'sending' | 'sent' | 'failed' | 'unsent';

export type MessageContent =
  | { kind: 'text'; text: string }
  | { kind: 'sticker'; imageUrl: string; packageId: string; stickerId: string }
  | { kind: 'image'; previewUrl: string | null; url: string | null }
  | { kind: 'file'; fileType: 'video' | 'audio' | 'file'; name: string | null; size: number | null; durationMs: number | null; url: string | null }
  | { kind: 'location'; title: string | null; address: string | null; mapUrl: string }
  | { kind: 'alt'; messageType: string; text: string };

export interface MessageSender {
  /** customer: the LINE user (inbound); user: a rep who sent from the panel; workflow: a workflow step. */
  kind: 'customer' | 'user' | 'workflow' | 'other';
  name: string | null;
}

/** Names to put on bubbles: the customer's LINE display name, and reps' names by HubSpot user id. */
export interface SenderNames {
  customer: string | null;
  user(userId: number): string | null;
}

const NO_NAMES: SenderNames = { customer: null, user: () => null };

export interface MessageView {
  id: number;
  direction: 'inbound' | 'outbound';
  status: MessageStatus;
  content: MessageContent;
  /** Why a send failed, as LINE (or the network) said. */
  error: string | null;
  /** Whether POST .../messages/:id/retry will send it again. */
  canRetry: boolean;
  sender: MessageSender;
  createdAt: number;
  /** When the message last changed: of two copies of one message, the later one is current. */
  updatedAt: number;
  sentAt: number | null;
  readAt: number | null;
}

/** GET /api/contacts/:contactId/messages: a page of history, oldest first, and where to go on from it. */
export interface HistoryPage {
  messages: MessageView[];
  hasMore: boolean;
  /** before: the id to page back from (null: empty page); after and since: where the long-poll starts. */
  cursor: { before: number | null; after: number; since: number };
}

/** GET /api/contacts/:contactId/messages/updates: messages new or changed since the cursor. */
export interface UpdatesAnswer {
  messages: MessageView[];
  cursor: { after: number; since: number };
  /** Ask again after this long: 0 when the request was held (live), a couple of seconds when it was not. */
  nextPollMs: number;
  /** The LINE user's friendship now: 'blocked' closes the panel's composer. */
  followStatus: FollowStatus;
}

/** A 'sending' message untouched for this long was interrupted (the process stopped mid-send): it may be retried. */
export const STALE_SENDING_MS = 60_000;

/** Resolves a URL for media LINE hosts (images, video, audio, files); null when it cannot be shown. */
export type MediaLinker = (row: { id: number; lineMessageId: string | null; type: string }) => string | null;

type Row = Record<string, unknown>;
type Payload = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function stickerImageUrl(stickerId: string): string {
  return `https://stickershop.line-scdn.net/stickershop/v1/sticker/${encodeURIComponent(stickerId)}/android/sticker.png`;
}

export function parsePayload(raw: unknown): Payload {
  if (typeof raw !== 'string') return {};
  try {
    const value = JSON.parse(raw);
    return value && typeof value === 'object' ? (value as Payload) : {};
  } catch {
    return {};
  }
}

/** External content (sent by the bot or contentProvider.type "external") carries its own HTTPS URLs. */
function providedUrls(payload: Payload): { original: string | null; preview: string | null } {
  const provider = (payload.contentProvider ?? {}) as Payload;
  return {
    original: str(payload.originalContentUrl) ?? str(provider.originalContentUrl),
    preview: str(payload.previewImageUrl) ?? str(provider.previewImageUrl),
  };
}

function contentOf(row: Row, payload: Payload, linkMedia: MediaLinker): MessageContent {
  const type = String(row.type);
  const text = str(row.text);
  const media = () => linkMedia({ id: Number(row.id), lineMessageId: str(row.line_message_id), type });
  switch (type) {
    case 'text':
      // The text column holds the summary the timeline and properties use (cut at 1,000 characters).
      return { kind: 'text', text: str(payload.text) ?? text ?? '' };
    case 'sticker': {
      const stickerId = String(payload.stickerId ?? '');
      return { kind: 'sticker', imageUrl: stickerImageUrl(stickerId), packageId: String(payload.packageId ?? ''), stickerId };
    }
    case 'image': {
      const urls = providedUrls(payload);
      if (!urls.original) {
        const stored = media();
        return { kind: 'image', previewUrl: stored, url: stored };
      }
      // An image the account sent is shown through the backend's own media URL, the one host of the two
      // the card may load images from (permittedUrls.img); opening it goes to where it lives.
      const shown = row.direction === 'outbound' ? media() : null;
      return { kind: 'image', previewUrl: shown ?? urls.preview ?? urls.original, url: urls.original };
    }
    case 'video':
    case 'audio':
    case 'file': {
      const urls = providedUrls(payload);
      return {
        kind: 'file',
        fileType: type,
        name: str(payload.fileName),
        size: int(payload.fileSize),
        durationMs: int(payload.duration),
        url: urls.original ?? media(),
      };
    }
    case 'location': {
      const lat = int(payload.latitude);
      const lng = int(payload.longitude);
      const query = lat !== null && lng !== null ? `${lat},${lng}` : (str(payload.address) ?? '');
      return {
        kind: 'location',
        title: str(payload.title),
        address: str(payload.address),
        mapUrl: `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(query)}`,
      };
    }
    default:
      // postback, template, flex, imagemap and types LINE adds later: their alt text (or summary) stands in.
      return { kind: 'alt', messageType: type, text: text ?? str(payload.altText) ?? str(payload.text) ?? type };
  }
}

/** The HubSpot user id in `sent_by` ("user:<id>") of a message a rep sent from the panel. */
export function senderUserId(sentBy: string | null): number | null {
  const match = /^user:(\d{1,15})$/.exec(sentBy ?? '');
  return match ? Number(match[1]) : null;
}

function senderOf(row: Row, names: SenderNames): MessageSender {
  if (row.direction !== 'outbound') return { kind: 'customer', name: names.customer };
  const sentBy = str(row.sent_by) ?? '';
  const userId = senderUserId(sentBy);
  // For a rep, the stored sender name is the email the signed request carried: the last resort.
  if (sentBy.startsWith('user:')) return { kind: 'user', name: (userId !== null ? names.user(userId) : null) ?? str(row.sender_name) };
  return { kind: sentBy.startsWith('workflow:') ? 'workflow' : 'other', name: str(row.sender_name) };
}

export function messageView(row: Row, linkMedia: MediaLinker, now = Date.now(), names: SenderNames = NO_NAMES): MessageView {
  const status = String(row.status) as MessageStatus;
  const direction = row.direction === 'outbound' ? 'outbound' : 'inbound';
  const touched = Math.max(Number(row.created_at), Number(row.updated_at ?? 0), Number(row.unsent_at ?? 0));
  const interrupted = status === 'sending' && now - touched > STALE_SENDING_MS;
  return {
    id: Number(row.id),
    direction,
    status,
    content: contentOf(row, parsePayload(row.payload), linkMedia),
    error: str(row.error),
    canRetry: direction === 'outbound' && String(row.sent_by ?? '').startsWith('user:') && (status === 'failed' || interrupted),
    sender: senderOf(row, names),
    createdAt: Number(row.created_at),
    updatedAt: touched,
    sentAt: row.sent_at === null || row.sent_at === undefined ? null : Number(row.sent_at),
    readAt: row.read_at === null || row.read_at === undefined ? null : Number(row.read_at),
  };
}
