// Gives the memory of a burst back once the process is idle again. V8 keeps the pages its heap grew into
// (its page pool) after a collection, and its own memory reducer, which would hand them back, keeps finding
// the allocation rate "high" in Node 24 even with nothing running: after the bench's load on PostgreSQL a
// web process sat at 127-141 MB for as long as it was watched, about 30 MB of that pooled pages, and plain
// collections kept them too (issue 16).
//   A last-resort collection, the one V8 runs under memory pressure, releases them. It is a full
// collection that does not run alongside the program (about 0.1 s for this heap), and the next burst finds
// a small heap to grow again, so it runs only when the event loop has been idle (at most IDLE_UTILIZATION
// busy) for IDLE_LOOKS checks in a row, 10 s, and the resident set has grown by GROWTH_BYTES since the last
// one: about once per burst, after it. With a single idle check, pauses between the bench's phases were
// enough to collect, and its next phase ran at 0.80 of the baseline (p99 ratio 2.47).
//   It needs the `gc` function, which Node exposes only with --expose-gc (the npm start scripts pass it).
// Without it nothing runs.
import { performance } from 'node:perf_hooks';

/** How often the event loop's idleness and the resident set are looked at. */
const CHECK_EVERY_MS = 2_000;
/** The event loop counts as idle when it was busy at most this share of the last check's time. */
const IDLE_UTILIZATION = 0.02;
/** Checks in a row that must find the loop idle before a collection. */
export const IDLE_LOOKS = 5;
/** Growth of the resident set since the last collection (or the start) that is worth a collection. */
const GROWTH_BYTES = 8 * 1024 * 1024;

export interface IdleMemoryProbes {
  /** Share of the time since the previous call that the event loop was busy, 0 to 1. */
  loopUtilization(): number;
  /** The process's resident set, in bytes. */
  residentBytes(): number;
  /** Runs the collection that returns memory to the system. */
  collect(): void;
}

export interface IdleMemoryRelease {
  /** What the resident set was before and after, and how long the collection took. */
  rssBefore: number;
  rssAfter: number;
  tookMs: number;
}

/** One look at the process: collects when it has been idle for IDLE_LOOKS looks and has grown since the last collection. */
export function idleMemoryCheck(probes: IdleMemoryProbes, onRelease: (release: IdleMemoryRelease) => void): () => void {
  let floor = probes.residentBytes();
  let idleLooks = 0;
  return () => {
    const utilization = probes.loopUtilization();
    const rssBefore = probes.residentBytes();
    idleLooks = utilization > IDLE_UTILIZATION ? 0 : idleLooks + 1;
    if (idleLooks < IDLE_LOOKS) return;
    if (rssBefore < floor + GROWTH_BYTES) {
      floor = Math.min(floor, rssBefore);
      return;
    }
    idleLooks = 0;
    const started = performance.now();
    probes.collect();
    const rssAfter = probes.residentBytes();
    // What a collection cannot give back (memory kept by the allocator, say) is not collected for again.
    floor = rssAfter;
    onRelease({ rssBefore, rssAfter, tookMs: performance.now() - started });
  };
}

/** The probes of this process, or undefined when Node was started without --expose-gc. */
function processProbes(): IdleMemoryProbes | undefined {
  const gc = globalThis.gc;
  if (!gc) return undefined;
  let last = performance.eventLoopUtilization();
  return {
    loopUtilization() {
      const now = performance.eventLoopUtilization();
      const { utilization } = performance.eventLoopUtilization(now, last);
      last = now;
      return utilization;
    },
    residentBytes: () => process.memoryUsage.rss(),
    collect: () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' }),
  };
}

/** Starts the checks; answers undefined (and checks nothing) when Node was started without --expose-gc. */
export function startIdleMemoryRelease(onRelease: (release: IdleMemoryRelease) => void, checkEveryMs = CHECK_EVERY_MS): { stop(): void } | undefined {
  const probes = processProbes();
  if (!probes) return undefined;
  const timer = setInterval(idleMemoryCheck(probes, onRelease), checkEveryMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
