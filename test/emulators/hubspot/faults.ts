// Fault injection: make matching requests fail, slow down or hang, a number of times or a seeded share of
// them; optionally after HubSpot has done the work, so the client loses an answer to a request that succeeded.
import type { BaseFaultSpec } from '../fault-spec.ts';

export interface FaultSpec extends BaseFaultSpec {
  /** Exact path (`{param}` or `*` match one segment) or a RegExp tested against the path. */
  path: string | RegExp;
  /** How many matching requests are affected (default: all until `clear()`). */
  times?: number;
  portalId?: number;
  /** Share (0..1) of matching requests that fail, drawn from a seeded generator. */
  failRatio?: number;
  /** Process and answer normally, but leave these properties out of the objects in the answer. */
  omitProperties?: string[];
  /** Called when a matching request arrives, which then waits until the promise settles: a slow HubSpot whose answer the test gives when it chooses. */
  holdUntil?: () => Promise<unknown>;
}

interface ActiveFault {
  spec: FaultSpec;
  matcher: RegExp;
  remaining: number;
}

/** mulberry32: small, seeded, good enough for "fail about 30% of calls" reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function toMatcher(path: string | RegExp): RegExp {
  if (path instanceof RegExp) return path;
  const escaped = path
    .split('/')
    .map((seg) => (seg === '*' || /^\{[^}]+\}$/.test(seg) || seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private random: () => number;

  constructor(seed = 42) {
    this.random = seededRandom(seed);
  }

  inject(spec: FaultSpec): void {
    if (spec.status === undefined && !spec.hang && spec.delayMs === undefined && !spec.omitProperties && !spec.holdUntil) {
      throw new Error('faults.inject: give a status, delayMs, holdUntil, hang or omitProperties');
    }
    if (spec.afterProcessing && spec.status === undefined && !spec.hang) {
      throw new Error('faults.inject: afterProcessing needs a status or hang to answer instead');
    }
    this.faults.push({ spec, matcher: toMatcher(spec.path), remaining: spec.times ?? Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault that applies to this request, if any (consumes one of its `times`). */
  take(method: string, path: string, portalId: number | undefined): FaultSpec | undefined {
    for (const f of this.faults) {
      const { spec } = f;
      if (f.remaining <= 0) continue;
      if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) continue;
      if (spec.portalId !== undefined && spec.portalId !== portalId) continue;
      if (!f.matcher.test(path)) continue;
      if (spec.failRatio !== undefined && this.random() >= spec.failRatio) continue;
      f.remaining--;
      return spec;
    }
    return undefined;
  }
}
