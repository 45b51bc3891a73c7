// The contact tokens of a step as an execution arrives: a token that cannot be read fails the execution at
// once; the values HubSpot sent with the request (objectRequestOptions) are kept for the properties the
// tokens need, so the send job reads from HubSpot only the properties the definition does not request.
import type { LineMessage } from '../line/line-channel.ts';
import { scanContactTokens, type ContactValues } from './contact-tokens.ts';
import { REQUEST_PROPERTIES } from './request-properties.ts';

export type StepTokens = { ok: true; contactValues: ContactValues | null } | { ok: false; problem: string };

export function stepTokens(messages: LineMessage[], sent: Record<string, unknown> | undefined): StepTokens {
  const scan = scanContactTokens(messages);
  if (!scan.ok) return scan;
  if (scan.tokens.length === 0) return { ok: true, contactValues: null };
  const values: ContactValues = {};
  for (const property of scan.properties) {
    // HubSpot leaves out a requested property that has no value: it is known to be empty.
    if (REQUEST_PROPERTIES.includes(property)) values[property] = typeof sent?.[property] === 'string' ? sent[property] : null;
  }
  return { ok: true, contactValues: values };
}
