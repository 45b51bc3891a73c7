// Fault injection per route: a status with LINE's error body, latency, or a request that never
// answers; optionally after the emulator has done the work (a lost response), to exercise retries.
import type { NextFunction, Request, Response } from 'express';
import { answerFault } from './http.ts';
import type { BaseFaultSpec } from '../fault-spec.ts';

export interface FaultSpec extends BaseFaultSpec {
  /** How many matching requests are affected (default 1; Infinity for all). */
  times?: number;
}

export interface Faults {
  inject(f: FaultSpec): void;
  clear(): void;
}

export function createFaults(): Faults & { middleware(req: Request, res: Response, next: NextFunction): void } {
  let armed: Array<FaultSpec & { left: number }> = [];

  function take(method: string, path: string): FaultSpec | undefined {
    const f = armed.find(
      (a) =>
        a.left > 0 &&
        (!a.method || a.method.toUpperCase() === method) &&
        (typeof a.path === 'string' ? a.path === path : a.path.test(path)),
    );
    if (!f) return undefined;
    f.left -= 1;
    armed = armed.filter((a) => a.left > 0);
    return f;
  }

  return {
    inject(f) {
      armed.push({ ...f, left: f.times ?? 1 });
    },
    clear() {
      armed = [];
    },
    middleware(req, res, next) {
      const f = take(req.method, req.path);
      if (!f) return next();
      const act = () => {
        const failing = f.hang || f.status !== undefined;
        if (!failing) return next();
        if (f.afterProcessing) {
          res.locals.afterProcessingFault = f;
          return next();
        }
        answerFault(res, f);
      };
      if (f.delayMs) setTimeout(act, f.delayMs);
      else act();
    },
  };
}
