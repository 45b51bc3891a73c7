// Renders each execution's messages for its contact before anything is sent: values HubSpot sent with the
// request first, the other properties batch-read from HubSpot. A token naming a property the portal does
// not have, or a message that breaks LINE's limits once filled in, ends the execution `failed` with the
// field and the reason, and LINE is not called. HubSpot errors are thrown for the job to retry.
import type { AppContext } from '../context.ts';
import { readContactValues } from './contact-reads.ts';
import { contactPropertyNames } from './contact-property-names.ts';
import { renderContactTokens, scanContactTokens, type ContactToken, type ContactValues } from './contact-tokens.ts';
import type { Execution } from './executions.ts';
import type { Checked } from './line-verdicts.ts';
import { messageProblem } from '../line/message-rules.ts';

interface Pending {
  execution: Execution;
  tokens: ContactToken[];
  /** Properties whose values the request did not carry. */
  toRead: string[];
}

export async function fillContactTokens(ctx: AppContext, portalId: number, executions: Execution[]): Promise<Checked> {
  const ready: Execution[] = [];
  const refused: Checked['refused'] = [];
  const pending: Pending[] = [];
  for (const e of executions) {
    // A retry key means the messages were rendered and stored with it: resent exactly as they were.
    if (e.sendKey || e.contactValues === null) {
      ready.push(e);
      continue;
    }
    const scan = scanContactTokens(e.messages);
    if (!scan.ok) refused.push({ executions: [e], error: scan.problem });
    else pending.push({ execution: e, tokens: scan.tokens, toRead: scan.properties.filter((p) => !(p in e.contactValues!)) });
  }
  const unrequested = [...new Set(pending.flatMap((p) => p.toRead))];
  if (unrequested.length === 0) {
    for (const p of pending) sortRendered(p.execution, p.execution.contactValues!, ready, refused);
    return { ready, refused };
  }
  const names = await contactPropertyNames(ctx, portalId);
  const readable: Pending[] = [];
  for (const p of pending) {
    const unknown = p.tokens.find((t) => p.toRead.includes(t.property) && !names.has(t.property));
    if (unknown) refused.push({ executions: [p.execution], error: `${unknown.field}: ${unknown.raw} names a contact property that does not exist in this HubSpot account (${unknown.property})` });
    else readable.push(p);
  }
  const toRead = unrequested.filter((name) => names.has(name));
  const read = await readContactValues(ctx, portalId, readable.filter((p) => p.toRead.length > 0).map((p) => p.execution.contactId), toRead);
  for (const p of readable) sortRendered(p.execution, { ...read.get(p.execution.contactId), ...p.execution.contactValues }, ready, refused);
  return { ready, refused };
}

function sortRendered(e: Execution, values: ContactValues, ready: Execution[], refused: Checked['refused']): void {
  const messages = renderContactTokens(e.messages, values);
  for (const [i, m] of messages.entries()) {
    const problem = messageProblem(m);
    if (problem) return void refused.push({ executions: [e], error: `message_${i + 1} with the contact's values filled in: ${problem}` });
  }
  ready.push({ ...e, messages });
}
