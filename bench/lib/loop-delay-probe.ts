// Preloaded into a benchmarked server (`node --import`): samples its event-loop delay and answers the
// bench over the IPC channel, so a phase's figures are the server's own and not the load generator's.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 5;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();

// The histogram records how late each RESOLUTION_MS tick fired; the delay is what exceeds that period.
const delayMs = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);

process.on('message', (message) => {
  if (message !== 'loop-delay') return;
  process.send?.({ p50: delayMs(histogram.percentile(50)), p99: delayMs(histogram.percentile(99)), max: delayMs(histogram.max) });
  histogram.reset();
});
// The IPC channel must not keep a server alive that was told to stop.
process.channel?.unref();
