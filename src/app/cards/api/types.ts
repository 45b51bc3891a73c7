// Shapes of the backend's chat API (backend/src/chat) and message templates (backend/src/templates) as the
// card receives them. The card is built by
// HubSpot from this folder alone, so it cannot import the backend's declarations;
// test/contracts/api-types.test.ts fails `npm test` when the two drift.

export type FollowStatus = 'following' | 'blocked' | 'unknown';

export interface AccountStatus {
  account: { id: number; name: string; pictureUrl: string | null; basicId: string | null };
  link: {
    lineUserId: string;
    displayName: string | null;
    pictureUrl: string | null;
    followStatus: FollowStatus;
    friendAddedAt: number | null;
    linkedAt: number | null;
  } | null;
  /** What to share (the LIFF URL when the account has one, else the login URL) and its QR code as PNG and SVG. */
  linking: { sharedUrl: string; qrCodeUrl: string; qrCodeSvgUrl: string };
  unanswered: { since: number; text: string | null } | null;
  lastMessageAt: number | null;
  /** Replies from the chat panel LINE did not take, oldest first (the order to retry them in). */
  undelivered: { messageIds: number[]; lastFailedAt: number } | null;
}

export interface ContactLineStatus {
  contactId: number;
  accounts: AccountStatus[];
  /** When to ask again: the backend stretches it when many cards of the portal are open. */
  nextPollMs: number;
}

export type MessageStatus = 'received' | 'sending' | 'sent' | 'failed' | 'unsent';

export type MessageContent =
  | { kind: 'text'; text: string }
  | { kind: 'sticker'; imageUrl: string; packageId: string; stickerId: string }
  | { kind: 'image'; previewUrl: string | null; url: string | null }
  | { kind: 'file'; fileType: 'video' | 'audio' | 'file'; name: string | null; size: number | null; durationMs: number | null; url: string | null }
  | { kind: 'location'; title: string | null; address: string | null; mapUrl: string }
  | { kind: 'alt'; messageType: string; text: string };

export interface ChatMessage {
  id: number;
  direction: 'inbound' | 'outbound';
  status: MessageStatus;
  content: MessageContent;
  error: string | null;
  canRetry: boolean;
  sender: { kind: 'customer' | 'user' | 'workflow' | 'other'; name: string | null };
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  readAt: number | null;
}

export interface HistoryPage {
  messages: ChatMessage[];
  hasMore: boolean;
  cursor: { before: number | null; after: number; since: number };
}

export interface UpdatesAnswer {
  messages: ChatMessage[];
  cursor: { after: number; since: number };
  /** Ask again after this long: 0 when the backend held the request (live), a couple of seconds when it polls. */
  nextPollMs: number;
  /** The LINE user's friendship now: 'blocked' closes the composer. */
  followStatus: FollowStatus;
}

/** A LINE message object of a template (text, sticker, image, flex …), as LINE receives it. */
export type TemplateMessage = { type: string } & Record<string, unknown>;

export interface MessageTemplate {
  id: number;
  name: string;
  messages: TemplateMessage[];
  updatedAt: number;
}
