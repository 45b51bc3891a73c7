// A file the rep attached in the panel, as the LINE message that carries it. The panel's FileUpload puts
// the file in the portal's HubSpot file manager (attached to the contact) and hands over its id only; the
// file itself is read from HubSpot with the portal's token, so a request can name only its own portal's
// files, and LINE fetches the content from HubSpot's HTTPS URL, never from a URL the request supplied.
// - JPEG or PNG up to 1 MB: an image message (LINE shows it inline; the preview must be 1 MB at most and
//   no copy is resized here, so the same file serves as both).
// - Anything else (PDF, documents, larger photos): LINE has no file message a bot can send, so a text with
//   the file's name, size and link, which LINE shows as a link the customer taps to download. The link lives
//   as long as the file stays in HubSpot's file manager: deleting it there takes it back.
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { HubSpotApiError, PortalNotInstalledError } from '../hubspot/portal-client.ts';
import { findPortalFile, type PortalFile } from '../hubspot/portal-files.ts';
import type { LineMessage } from '../line/line-channel.ts';

/** LINE's limit for an image message's previewImageUrl, which here is the image itself. */
export const MAX_INLINE_IMAGE_BYTES = 1024 * 1024;
const INLINE_IMAGE_TYPES = new Set(['jpg', 'jpeg', 'png']);
const PUBLIC_ACCESS = new Set(['PUBLIC_INDEXABLE', 'PUBLIC_NOT_INDEXABLE']);

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function readFailed(error: unknown): unknown {
  if (error instanceof PortalNotInstalledError || (error instanceof HubSpotApiError && error.status === 403 && error.category === 'MISSING_SCOPES')) {
    return new HttpError(403, 'reinstall_required', 'This install has not granted the app the "files" scope it needs to send files. Reinstall the app in this HubSpot account to grant it.');
  }
  if (error instanceof HubSpotApiError) return new HttpError(503, 'hubspot_unavailable', 'HubSpot could not give the attached file just now, so nothing was sent. Try again in a moment.');
  return error;
}

export function lineMessageForFile(file: PortalFile): LineMessage {
  if (INLINE_IMAGE_TYPES.has(file.extension) && file.size <= MAX_INLINE_IMAGE_BYTES) {
    return { type: 'image', originalContentUrl: file.url, previewImageUrl: file.url };
  }
  return { type: 'text', text: `📎 ${file.fileName} (${sizeText(file.size)})\n${file.url}` };
}

/** 404 for a file the portal does not have; 422 for one LINE could not fetch (private, or not on HTTPS). */
export async function attachmentMessage(ctx: AppContext, portalId: number, fileId: string): Promise<LineMessage> {
  let file: PortalFile | null;
  try {
    file = await findPortalFile(ctx, portalId, fileId);
  } catch (error) {
    throw readFailed(error);
  }
  if (!file) throw new HttpError(404, 'file_not_found', 'No such file in this HubSpot account\'s file manager');
  if (!PUBLIC_ACCESS.has(file.access) || !file.url.startsWith('https://')) {
    throw new HttpError(422, 'file_not_public', 'This file is private in HubSpot\'s file manager, so LINE cannot fetch it. Nothing was sent.');
  }
  return lineMessageForFile(file);
}
