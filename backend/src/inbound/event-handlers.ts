// Which handler each LINE webhook event type gets. Types not listed are logged and skipped, never failed.
import type { EventHandler } from './event-effects.ts';
import { handleAccountLink, handleFollow, handlePostback, handleUnfollow } from './friendship-events.ts';
import { handleJoin, handleLeave, handleMemberJoined, handleMemberLeft } from './group-events.ts';
import { handleMessage, handleMessageEdited, handleUnsend } from './message-events.ts';

export const EVENT_HANDLERS: Readonly<Record<string, EventHandler>> = {
  message: handleMessage,
  unsend: handleUnsend,
  messageEdited: handleMessageEdited,
  follow: handleFollow,
  unfollow: handleUnfollow,
  postback: handlePostback,
  accountLink: handleAccountLink,
  join: handleJoin,
  leave: handleLeave,
  memberJoined: handleMemberJoined,
  memberLeft: handleMemberLeft,
};
