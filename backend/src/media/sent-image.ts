// Where an image the account sent lives: the HTTPS URL LINE was given (for the chat panel's sends, the
// file's URL in the portal's HubSpot file manager). The panel cannot show it from there, because an Image
// loads only from the hosts of the app's permittedUrls.img, and a portal's file host is not one of them
// (nor is a workflow template's image host); so the panel shows it through the signed media URL, which
// sends the browser on to this address.
import type { MessageRow } from '../conversation/messages.ts';

function urlIn(payload: Record<string, unknown>, key: string): string | null {
  const value = payload[key];
  return typeof value === 'string' && value.startsWith('https://') ? value : null;
}

/** The preview (else the original) of an outbound image message; null for anything else. */
export function sentImageUrl(message: Pick<MessageRow, 'direction' | 'type' | 'payload'>): string | null {
  if (message.direction !== 'outbound' || message.type !== 'image') return null;
  let payload: unknown;
  try {
    payload = JSON.parse(String(message.payload));
  } catch {
    return null;
  }
  if (!payload || typeof payload !== 'object') return null;
  return urlIn(payload as Record<string, unknown>, 'previewImageUrl') ?? urlIn(payload as Record<string, unknown>, 'originalContentUrl');
}
