// Renders each execution's messages for its record before anything is sent: values HubSpot sent with the
// request first, the other properties batch-read from HubSpot. A token naming a property the portal does
// not have, or a message that breaks LINE's limits once filled in, ends the execution `failed` with the
// field and the reason, and LINE is not called. HubSpot errors are thrown for the job to retry.
import type { AppContext } from '../context.ts';
import { ACTION_OBJECTS, type ActionObject } from './action-objects.ts';
import type { Execution } from './executions.ts';
import type { Checked } from './line-verdicts.ts';
import { objectPropertyNames } from './object-property-names.ts';
import { readObjectValues } from './object-reads.ts';
import { renderTokens, scanTokens, type ObjectToken, type ObjectValues } from './object-tokens.ts';
import { messageProblem } from '../line/message-rules.ts';

interface Pending {
  execution: Execution;
  tokens: ObjectToken[];
  /** Properties whose values the request did not carry. */
  toRead: string[];
}

async function fillTokensOf(ctx: AppContext, portalId: number, object: ActionObject, executions: Execution[], into: Checked): Promise<void> {
  const { ready, refused } = into;
  const pending: Pending[] = [];
  for (const e of executions) {
    // A retry key means the messages were rendered and stored with it: resent exactly as they were.
    if (e.sendKey || e.objectValues === null) {
      ready.push(e);
      continue;
    }
    const scan = scanTokens(object.kind, e.messages);
    if (!scan.ok) refused.push({ executions: [e], error: scan.problem });
    else pending.push({ execution: e, tokens: scan.tokens, toRead: scan.properties.filter((p) => !(p in e.objectValues!)) });
  }
  const unrequested = [...new Set(pending.flatMap((p) => p.toRead))];
  if (unrequested.length === 0) {
    for (const p of pending) sortRendered(object, p.execution, p.execution.objectValues!, into);
    return;
  }
  const names = await objectPropertyNames(ctx, portalId, object.crmType);
  const readable: Pending[] = [];
  for (const p of pending) {
    const unknown = p.tokens.find((t) => p.toRead.includes(t.property) && !names.has(t.property));
    if (unknown) refused.push({ executions: [p.execution], error: `${unknown.field}: ${unknown.raw} names a ${object.kind} property that does not exist in this HubSpot account (${unknown.property})` });
    else readable.push(p);
  }
  const toRead = unrequested.filter((name) => names.has(name));
  const read = await readObjectValues(ctx, portalId, object.crmType, readable.filter((p) => p.toRead.length > 0).map((p) => p.execution.objectId), toRead);
  for (const p of readable) sortRendered(object, p.execution, { ...read.get(p.execution.objectId), ...p.execution.objectValues }, into);
}

export async function fillTokens(ctx: AppContext, portalId: number, executions: Execution[]): Promise<Checked> {
  const filled: Checked = { ready: [], refused: [] };
  for (const object of ACTION_OBJECTS) {
    const ofKind = executions.filter((e) => e.objectType === object.kind);
    if (ofKind.length > 0) await fillTokensOf(ctx, portalId, object, ofKind, filled);
  }
  return filled;
}

function sortRendered(object: ActionObject, e: Execution, values: ObjectValues, { ready, refused }: Checked): void {
  const messages = renderTokens(object.kind, e.messages, values);
  for (const [i, m] of messages.entries()) {
    const problem = messageProblem(m);
    if (problem) return void refused.push({ executions: [e], error: `message_${i + 1} with the ${object.kind}'s values filled in: ${problem}` });
  }
  ready.push({ ...e, messages });
}
