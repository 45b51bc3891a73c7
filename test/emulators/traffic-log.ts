// Records every exchange an emulator handles as one JSON line, in the format that
// ../shared/tools/spec-check reads, so recorded traffic can be validated against the official specs.
import { appendFileSync } from 'node:fs';

export type TrafficService = 'line' | 'hubspot' | 'line-webhook';

export interface TrafficEntry {
  service: TrafficService;
  method: string;
  path: string;
  status: number;
  requestContentType?: string;
  requestBody: unknown;
  responseBody: unknown;
}

export interface TrafficLog {
  record(entry: TrafficEntry): void;
}

/** A log that appends to `path` (default: EMULATOR_TRAFFIC_LOG), or does nothing when no path is set. */
export function createTrafficLog(path: string | undefined = process.env.EMULATOR_TRAFFIC_LOG): TrafficLog {
  if (!path) return { record() {} };
  return {
    record(entry) {
      appendFileSync(path, JSON.stringify(entry) + '\n');
    },
  };
}
