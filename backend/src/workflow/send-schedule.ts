// When a stored execution's send job becomes due. Executions of one LINE account with the same messages
// join an open group, due sendWindowMs after the group's first execution, so the worker claims them side
// by side and sends them as one multicast; a group closes once it fills a multicast and the next one opens.
// A send to a LINE group cannot share a multicast, so it is due at once.
// A scheduling hint kept in this process only: after a restart, or across web processes, more groups open
// and requests carry fewer users, but nothing is sent twice or lost (the jobs are stored).
import { actionObject } from './action-objects.ts';
import type { NewExecution } from './executions.ts';
import { MULTICAST_LIMIT } from './send-plan.ts';
import type { WorkflowTimings } from './timings.ts';

interface OpenGroup {
  runAt: number;
  size: number;
}

/** Closed groups are forgotten once this many are remembered (each distinct message content opens one). */
const REMEMBERED_GROUPS = 1_000;

export type SendSchedule = (execution: Pick<NewExecution, 'lineAccountId' | 'messages' | 'objectType'>, now: number) => number;

export function sendSchedule(timings: Pick<WorkflowTimings, 'sendWindowMs'>): SendSchedule {
  const open = new Map<string, OpenGroup>();
  return (execution, now) => {
    if (!actionObject(execution.objectType).multicast) return now;
    const key = `${execution.lineAccountId}:${JSON.stringify(execution.messages)}`;
    let group = open.get(key);
    if (!group || group.runAt <= now || group.size >= MULTICAST_LIMIT) {
      if (open.size >= REMEMBERED_GROUPS) for (const [k, g] of open) if (g.runAt <= now) open.delete(k);
      group = { runAt: now + timings.sendWindowMs, size: 0 };
      open.set(key, group);
    }
    group.size++;
    return group.runAt;
  };
}
