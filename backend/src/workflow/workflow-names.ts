// The name of the workflow that sent a message, for the chat panel and the timeline: read once per portal
// and workflow from HubSpot's automation API (GET /automation/v4/flows/{flowId}, scope `automation`) and
// kept for an hour, so a campaign of thousands of executions costs one call. When HubSpot will not say
// (a workflow it does not know, a missing scope, an outage) the message is sent anyway, signed
// "Workflow <id>"; a refusal is remembered like a name, an outage only until the next send.
import type { AppContext } from '../context.ts';
import { ensureOk, HubSpotApiError, hubspotFor } from '../hubspot/portal-client.ts';

const KEEP_MS = 3_600_000;
const OPERATION = 'automation.flows.get';

export const fallbackWorkflowName = (workflowId: number) => `Workflow ${workflowId}`;

async function askHubSpot(ctx: AppContext, portalId: number, workflowId: number): Promise<{ name: string; keep: boolean }> {
  try {
    const hubspot = await hubspotFor(ctx, portalId);
    const flow = await hubspot.call(OPERATION, async (client) =>
      (await ensureOk(await client.apiRequest({ method: 'GET', path: `/automation/v4/flows/${workflowId}` }), OPERATION)).json(),
    ) as { name?: unknown };
    const name = typeof flow.name === 'string' ? flow.name.trim() : '';
    return { name: name || fallbackWorkflowName(workflowId), keep: true };
  } catch (error) {
    const refused = error instanceof HubSpotApiError && !error.isTransient && !error.isRateLimit;
    ctx.logger.warn({ portalId, workflowId, err: error }, 'could not read the workflow name from HubSpot; using its id');
    return { name: fallbackWorkflowName(workflowId), keep: refused };
  }
}

export type WorkflowNames = (ctx: AppContext, portalId: number, workflowId: number) => Promise<string>;

/** One cache per process: concurrent sends of the same workflow share one request. */
export function workflowNames(clock: () => number = Date.now): WorkflowNames {
  const known = new Map<string, { name: Promise<string>; until: number }>();
  return (ctx, portalId, workflowId) => {
    const key = `${portalId}:${workflowId}`;
    const cached = known.get(key);
    if (cached && cached.until > clock()) return cached.name;
    const entry = { name: askHubSpot(ctx, portalId, workflowId).then((answer) => {
      if (!answer.keep) known.delete(key);
      return answer.name;
    }), until: clock() + KEEP_MS };
    known.set(key, entry);
    return entry.name;
  };
}

/** The names of the workflows these executions came from, by workflow id. */
export async function namesOfWorkflows(names: WorkflowNames, ctx: AppContext, portalId: number, executions: Array<{ workflowId: number | null }>): Promise<Map<number, string>> {
  const ids = [...new Set(executions.flatMap((e) => (e.workflowId === null ? [] : [e.workflowId])))];
  return new Map(await Promise.all(ids.map(async (id) => [id, await names(ctx, portalId, id)] as const)));
}
