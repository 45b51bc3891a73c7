// Messages as HubSpot app event occurrences (src/app/app-events), through the 2026-03 timeline API.
// Occurrence ids derive from the message id, so a retried send is answered 409 and changes nothing.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { ensureOk } from '../hubspot/api-error.ts';
import { HubSpotApiError, type HubSpotPortal } from '../hubspot/portal-client.ts';
import type { LoggedMessage } from './logged-messages.ts';

const BATCH_PATH = '/integrators/timeline/2026-03/events/batch';
const SINGLE_PATH = '/integrators/timeline/2026-03/events';
const CHUNK = 100;
const MESSAGE_TYPES = new Set(['text', 'sticker', 'image', 'video', 'audio', 'file', 'location', 'template', 'flex', 'imagemap']);

/** HubSpot refused the event type itself: this portal has no app event types (not installed, not approved). */
export class AppEventsUnavailableError extends Error {
  constructor(cause: HubSpotApiError) {
    super(`app event types are unavailable in this portal: ${cause.message}`, { cause });
    this.name = 'AppEventsUnavailableError';
  }
}

export interface AppEventItem {
  contactId: number;
  message: LoggedMessage;
}

function occurrence(ctx: AppContext, account: LineAccount, item: AppEventItem) {
  const { message } = item;
  return {
    eventTypeName: message.direction === 'inbound' ? ctx.config.HUBSPOT_APP_EVENT_RECEIVED : ctx.config.HUBSPOT_APP_EVENT_SENT,
    id: `line-message-${message.id}`,
    objectId: String(item.contactId),
    timestamp: new Date(message.at).toISOString(),
    properties: {
      message_text: message.text,
      line_account_name: account.displayName,
      message_type: MESSAGE_TYPES.has(message.type) ? message.type : 'other',
      // Who sent it: the workflow's name or the HubSpot user, as the chat panel shows it.
      ...(message.direction === 'outbound' ? { sent_by: message.senderName ?? account.displayName } : {}),
    },
  };
}

const isTypeMissing = (e: unknown) => e instanceof HubSpotApiError && (e.status === 404 || e.status === 403);

async function post(hs: HubSpotPortal, path: string, operation: string, body: unknown): Promise<void> {
  await hs.call(operation, async (client) => ensureOk(await client.apiRequest({ method: 'POST', path, body }), operation));
}

/** Sends the occurrences; throws AppEventsUnavailableError when the portal has no such event types. */
export async function sendAppEvents(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, items: AppEventItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) {
    const inputs = items.slice(i, i + CHUNK).map((item) => occurrence(ctx, account, item));
    try {
      await post(hs, BATCH_PATH, 'timeline.events.batch', { inputs });
    } catch (error) {
      if (isTypeMissing(error)) throw new AppEventsUnavailableError(error as HubSpotApiError);
      // A batch is all or nothing: one occurrence already sent (409) or refused (400) rejects it; send one by one.
      if (!(error instanceof HubSpotApiError) || (error.status !== 409 && error.status !== 400)) throw error;
      await sendOneByOne(ctx, hs, inputs);
    }
  }
}

async function sendOneByOne(ctx: AppContext, hs: HubSpotPortal, inputs: Array<ReturnType<typeof occurrence>>): Promise<void> {
  for (const input of inputs) {
    try {
      await post(hs, SINGLE_PATH, 'timeline.events.create', input);
    } catch (error) {
      if (isTypeMissing(error)) throw new AppEventsUnavailableError(error as HubSpotApiError);
      if (error instanceof HubSpotApiError && error.status === 409) continue; // sent before
      if (error instanceof HubSpotApiError && error.status === 400) {
        ctx.logger.warn({ occurrenceId: input.id, error: error.message }, 'HubSpot refused a timeline event; skipped');
        continue;
      }
      throw error;
    }
  }
}
