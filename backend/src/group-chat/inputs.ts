// Request shapes of the company group chat API, validated with zod; a failed parse is a 400 that changes
// nothing. History, updates and sends take the 1:1 chat's shapes (chat/inputs.ts).
import { z } from 'zod';
import { updatesQuery } from '../chat/inputs.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const companyParams = z.object({ companyId: id });
export const companyAccountParams = z.object({ companyId: id, accountId: id });
export const groupRetryParams = z.object({ companyId: id, messageId: id });

export const groupLinkBody = z.object({
  groupId: z.string().trim().regex(/^C[0-9a-f]{32}$/, 'must be a LINE group ID: "C" followed by 32 hexadecimal characters'),
});

/** A group has no friendship to report: the 1:1 query without it. */
export const groupUpdatesQuery = updatesQuery.omit({ followStatus: true });
