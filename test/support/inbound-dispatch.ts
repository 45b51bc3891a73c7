// Runs the queued inbound.dispatch jobs as a worker would (claim, run, complete), for tests of processes
// without workers: afterwards every stored event has its own inbound.event job.
import type { AppContext } from '../../backend/src/context.ts';
import { inboundDispatchJob } from '../../backend/src/inbound/dispatch-job.ts';
import type { JobQueue } from '../../backend/src/jobs/queue.ts';

export async function runInboundDispatches(ctx: Pick<AppContext, 'db'> & { queue: JobQueue }): Promise<number> {
  let ran = 0;
  for (;;) {
    const jobs = await ctx.queue.claim({ types: [inboundDispatchJob.type], limit: 50, workerId: 'test-dispatch', leaseMs: 60_000 });
    if (jobs.length === 0) return ran;
    for (const job of jobs) {
      await inboundDispatchJob.run(ctx as AppContext, { ...job, payload: inboundDispatchJob.payload.parse(job.payload) });
      await ctx.queue.complete(job, 'test-dispatch');
      ran++;
    }
  }
}
