// Preloaded into a benchmarked server (`node --import`): samples its event-loop delay and answers the
// bench over the IPC channel, so a phase's figures are the server's own and not the load generator's.
// The bench measures a server in slices, taking turns with other servers, so the probe records only
// between 'loop-delay-start' and 'loop-delay-stop'; 'loop-delay' answers what was recorded and clears it.
// Node's own monitorEventLoopDelay cannot pause: enabled again, it records the paused time as one delay.
import { createHistogram } from 'node:perf_hooks';

const RESOLUTION_MS = 5;
/** Delays in microseconds (a histogram records positive integers). */
const delays = createHistogram();
let recording = false;
let due = 0;

// A timer every RESOLUTION_MS: how late it fires is how long the loop was busy with something else.
function tick(): void {
  const now = performance.now();
  if (recording) delays.record(Math.max(1, Math.round((now - due) * 1000)));
  due = now + RESOLUTION_MS;
  setTimeout(tick, RESOLUTION_MS).unref();
}
tick();

const ms = (us: number) => us / 1000;

process.on('message', (message) => {
  if (message === 'loop-delay-start') {
    recording = true;
    process.send?.('started');
  } else if (message === 'loop-delay-stop') {
    recording = false;
    process.send?.('stopped');
  } else if (message === 'loop-delay') {
    const figures = delays.count ? { p50: ms(delays.percentile(50)), p99: ms(delays.percentile(99)), max: ms(delays.max) } : { p50: 0, p99: 0, max: 0 };
    delays.reset();
    process.send?.(figures);
  }
});
// The IPC channel must not keep a server alive that was told to stop.
process.channel?.unref();
