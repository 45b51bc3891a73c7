// Runs one interactive LINE API call with a deadline (config.timings.line) and turns its failure into a
// value: the status LINE answered (absent for network errors and timeouts) and a reason an agent can read.
import { LineApiError, type LineChannel, type LineClients } from '../line/line-channel.ts';

export type LineCallOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: number | null; reason: string; body: unknown };

function reasonOf(error: LineApiError): string {
  if (error.timeoutMs !== undefined) return `LINE did not answer within ${error.timeoutMs / 1000} s`;
  if (error.status === 0) return `Could not reach LINE: ${error.transportFailure}`;
  if (!error.lineMessage) return `LINE answered HTTP ${error.status}`;
  const details = error.details.map((d) => (d.property ? `${d.property}: ${d.message}` : d.message));
  return [`LINE ${error.status}: ${error.lineMessage}`, ...details].join('; ');
}

export async function tryLineCall<T>(line: LineChannel, operation: string, fn: (clients: LineClients) => Promise<T>, timeoutMs: number): Promise<LineCallOutcome<T>> {
  try {
    return { ok: true, value: await line.call(operation, fn, { timeoutMs }) };
  } catch (error) {
    if (error instanceof LineApiError) return { ok: false, status: error.status || null, reason: reasonOf(error), body: error.body ?? null };
    // Not a LINE failure, but the message may or may not have reached LINE: it must end as a failed send the
    // agent can retry (with the same retry key), never as a request error that leaves it 'sending'.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, status: null, reason: `Could not reach LINE: ${message}`, body: null };
  }
}
