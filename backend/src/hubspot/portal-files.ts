// A file of the portal's file manager (files API v3, scope `files`), read with the portal's own token:
// an id of another portal's file is not found here, whatever the request names.
import type { AppContext } from '../context.ts';
import { HubSpotApiError, hubspotFor } from './portal-client.ts';

export type FileAccess = 'PUBLIC_INDEXABLE' | 'PUBLIC_NOT_INDEXABLE' | 'PRIVATE' | string;

export interface PortalFile {
  id: string;
  /** With its extension, as the rep uploaded it. */
  fileName: string;
  /** Lowercase: jpg, png, pdf … */
  extension: string;
  size: number;
  access: FileAccess;
  url: string;
}

/** The file, or null when the portal has no file with this id. */
export async function findPortalFile(ctx: AppContext, portalId: number, fileId: string): Promise<PortalFile | null> {
  const hs = await hubspotFor(ctx, portalId);
  try {
    const file = await hs.call('files.get', (client) => client.files.filesApi.getById(fileId));
    // HubSpot keeps the name without its extension; the customer should see the name as uploaded.
    const extension = String(file.extension ?? '');
    const name = String(file.name ?? 'file');
    return {
      id: String(file.id),
      fileName: extension && !name.toLowerCase().endsWith(`.${extension.toLowerCase()}`) ? `${name}.${extension}` : name,
      extension: extension.toLowerCase(),
      size: Number(file.size ?? 0),
      access: String(file.access ?? 'PRIVATE'),
      url: String(file.url ?? ''),
    };
  } catch (error) {
    if (error instanceof HubSpotApiError && error.status === 404) return null;
    throw error;
  }
}
