// The tokens of a step as an execution arrives: a token that cannot be read fails the execution at once;
// the values HubSpot sent with the request (objectRequestOptions) are kept for the properties the tokens
// need, so the send job reads from HubSpot only the properties the definition does not request.
import type { LineMessage } from '../line/line-channel.ts';
import { scanTokens, type ObjectValues, type TokenObject } from './object-tokens.ts';
import { REQUEST_PROPERTIES } from './request-properties.ts';

export type StepTokens = { ok: true; objectValues: ObjectValues | null } | { ok: false; problem: string };

export function stepTokens(object: TokenObject, messages: LineMessage[], sent: Record<string, unknown> | undefined): StepTokens {
  const scan = scanTokens(object, messages);
  if (!scan.ok) return scan;
  if (scan.tokens.length === 0) return { ok: true, objectValues: null };
  const values: ObjectValues = {};
  for (const property of scan.properties) {
    // HubSpot leaves out a requested property that has no value: it is known to be empty.
    if (REQUEST_PROPERTIES[object].includes(property)) values[property] = typeof sent?.[property] === 'string' ? sent[property] : null;
  }
  return { ok: true, objectValues: values };
}
