// Message objects written as JSON (flex, template, imagemap …) are checked by LINE's validate endpoint the
// first time they are sent; the verdict is kept by content hash, so the same JSON is validated once, not
// once per contact or per batch. Executions whose messages LINE refuses end `failed` with LINE's words and
// are never sent. Plain text needs no check: message-rules.ts covers all LINE asks of it.
import type { LineAccount } from '../accounts/repository.ts';
import type { AppContext } from '../context.ts';
import type { LineMessage } from '../line/line-channel.ts';
import type { Execution } from './executions.ts';
import { mapWithConcurrency } from '../concurrency.ts';
import { validateOnLine, type Verdict } from './line-send.ts';
import { contentHashOf, findVerdict, saveVerdict } from './message-verdicts.ts';

export interface Checked {
  ready: Execution[];
  refused: Array<{ executions: Execution[]; error: string }>;
}

const CONCURRENT_CHECKS = 8;

// Batches of one portal running at once in this process ask LINE once for the same content.
const asked = new WeakMap<AppContext, Map<string, Promise<Verdict | undefined>>>();

async function verdictOf(ctx: AppContext, account: LineAccount, messages: LineMessage[], kind: 'push' | 'multicast', timeoutMs: number): Promise<Verdict | undefined> {
  const hash = contentHashOf(messages);
  const known = await findVerdict(ctx, account.portalId, hash);
  if (known) return known;
  const key = `${account.portalId}:${hash}`;
  const inFlight = asked.get(ctx) ?? new Map<string, Promise<Verdict | undefined>>();
  asked.set(ctx, inFlight);
  let asking = inFlight.get(key);
  if (!asking) {
    asking = (async () => {
      const verdict = await validateOnLine(ctx.config, { channelAccessToken: account.channelAccessToken, messages, kind, timeoutMs });
      if (verdict) await saveVerdict(ctx, account.portalId, hash, verdict, Date.now());
      return verdict;
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, asking);
  }
  return asking;
}

/** The executions LINE accepts (or gave no verdict on), and those it refused with its reason. */
export async function checkWithLine(ctx: AppContext, account: LineAccount, executions: Execution[], timeoutMs: number): Promise<Checked> {
  const byContent = new Map<string, Execution[]>();
  const ready: Execution[] = [];
  for (const e of executions) {
    // An execution with a retry key may already be at LINE: it is resent as it is, never re-judged.
    if (e.sendKey || e.messages.every((m) => m.type === 'text')) ready.push(e);
    else {
      const content = JSON.stringify(e.messages);
      byContent.set(content, [...(byContent.get(content) ?? []), e]);
    }
  }
  const refused: Checked['refused'] = [];
  await mapWithConcurrency([...byContent.values()], CONCURRENT_CHECKS, async (group) => {
    const verdict = await verdictOf(ctx, account, group[0].messages, group.length > 1 ? 'multicast' : 'push', timeoutMs);
    if (verdict && !verdict.valid) refused.push({ executions: group, error: verdict.problem });
    else ready.push(...group);
  });
  return { ready, refused };
}
