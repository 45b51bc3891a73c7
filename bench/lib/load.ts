// Bounded load generation on loopback: a fixed request rate for a fixed time, or a fixed count as fast
// as a concurrency allows. Returns latencies so callers can report percentiles.
import { Agent, request } from 'node:http';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export interface LoadResult {
  count: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Each acknowledged request's latency in ms, in the order they were answered. */
  latencies: number[];
}

function summarize(latencies: number[], failures: number, seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    latencies,
    count: latencies.length,
    failures,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** Several runs taken as one: their requests and failures together, over the sum of their times. */
export function pooled(results: readonly LoadResult[]): LoadResult {
  return summarize(
    results.flatMap((r) => r.latencies),
    results.reduce((sum, r) => sum + r.failures, 0),
    results.reduce((sum, r) => sum + r.seconds, 0),
  );
}

/** Sends `rate` requests per second for `durationMs` (open loop: a slow server does not slow the sender). */
export async function atRate(options: { rate: number; durationMs: number; send: (i: number) => Promise<boolean> }): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const interval = 1000 / options.rate;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inFlight.push(
      options.send(i).then(
        (ok) => {
          if (ok) latencies.push(performance.now() - t0);
          else failures++;
        },
        () => {
          failures++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return summarize(latencies, failures, (performance.now() - started) / 1000);
}

/** Sends `count` requests with at most `concurrency` in flight (closed loop: measures capacity). */
export async function asFastAs(options: { count: number; concurrency: number; send: (i: number) => Promise<boolean> }): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < options.count) {
      const i = next++;
      const t0 = performance.now();
      try {
        if (await options.send(i)) latencies.push(performance.now() - t0);
        else failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return summarize(latencies, failures, (performance.now() - started) / 1000);
}

/**
 * POSTs prepared bodies over kept-alive connections with node:http. The generator must cost little per
 * request: with fetch (undici) it allocated so much that its own young-generation collections took 20-90 ms
 * at 500 requests/s, and each stalled the one request then in flight and the burst sent after it.
 */
export function poster(url: string): (body: Buffer, headers: Record<string, string>) => Promise<number> {
  const { hostname, port, pathname, search } = new URL(url);
  const agent = new Agent({ keepAlive: true });
  return (body, headers) =>
    new Promise((resolve, reject) => {
      const req = request({ agent, host: hostname, port, path: pathname + search, method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      });
      req.on('error', reject);
      req.end(body);
    });
}
