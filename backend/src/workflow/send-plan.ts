// Which LINE request carries which executions. An execution keeps the request (and X-Line-Retry-Key) it
// was first given, so a retry resends exactly what may have reached LINE and LINE's 409 settles it.
// New executions to users whose messages are identical share one multicast (at most 500 users); others,
// and every send to a group, are pushed.
import { actionObject } from './action-objects.ts';
import type { Execution } from './executions.ts';
import { workflowRetryKey } from './retry-key.ts';

export const MULTICAST_LIMIT = 500;

export interface PlannedSend {
  key: string;
  executions: Execution[];
}

export function planSends(channelId: string, executions: Execution[]): PlannedSend[] {
  const byKey = new Map<string, Execution[]>();
  const fresh = new Map<string, Execution[]>();
  for (const e of executions) {
    if (e.sendKey) byKey.set(e.sendKey, [...(byKey.get(e.sendKey) ?? []), e]);
    else {
      const shared = actionObject(e.objectType).multicast ? JSON.stringify(e.messages) : `alone:${e.callbackId}`;
      fresh.set(shared, [...(fresh.get(shared) ?? []), e]);
    }
  }
  const sends = [...byKey].map(([key, list]) => ({ key, executions: list }));
  for (const list of fresh.values()) {
    for (let i = 0; i < list.length; i += MULTICAST_LIMIT) {
      const chunk = list.slice(i, i + MULTICAST_LIMIT);
      sends.push({ key: workflowRetryKey(channelId, chunk.map((e) => e.callbackId)), executions: chunk });
    }
  }
  return sends;
}
