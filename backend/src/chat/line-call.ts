// Runs one interactive LINE API call with a deadline (config.timings.line) and turns its failure into a
// value: the status LINE answered (absent for network errors and timeouts) and a reason an agent can read.
import { HTTPFetchError } from '@line/bot-sdk';

export type LineCallOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: number | null; reason: string; body: string | null };

function reasonFromBody(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; details?: Array<{ message?: unknown; property?: unknown }> };
    const details = (parsed.details ?? []).map((d) => `${String(d.property ?? '')}: ${String(d.message ?? '')}`.replace(/^: /, ''));
    if (typeof parsed.message === 'string') return [`LINE ${status}: ${parsed.message}`, ...details].join('; ');
  } catch {
    // not JSON: fall through to the status alone
  }
  return `LINE answered HTTP ${status}`;
}

export async function callLine<T>(call: () => Promise<T>, timeoutMs: number): Promise<LineCallOutcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const value = await Promise.race([call(), timeout]);
    if (value === 'timeout') return { ok: false, status: null, reason: `LINE did not answer within ${timeoutMs / 1000} s`, body: null };
    return { ok: true, value };
  } catch (error) {
    if (error instanceof HTTPFetchError) {
      return { ok: false, status: error.status, reason: reasonFromBody(error.status, error.body), body: error.body };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, status: null, reason: `Could not reach LINE: ${message}`, body: null };
  } finally {
    clearTimeout(timer);
  }
}
