// Prometheus metrics: HTTP latency by route, jobs by state and type (read from the queue at scrape), job durations.
import { Registry, Histogram, Gauge, collectDefaultMetrics } from 'prom-client';
import type { JobQueue } from '../jobs/queue.ts';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  jobDuration: Histogram<'type' | 'outcome'>;
}

export function createMetrics(options: { queue?: JobQueue; defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Job run time by type and outcome (done, retry, dead)',
    labelNames: ['type', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const queue = options.queue;
  new Gauge({
    name: 'jobs',
    help: 'Jobs in the queue by type and state',
    labelNames: ['type', 'state'] as const,
    registers: [registry],
    async collect() {
      if (!queue) return;
      this.reset();
      for (const row of await queue.countsByTypeAndState()) this.set({ type: row.type, state: row.state }, row.count);
    },
  });
  return { registry, httpDuration, jobDuration };
}
