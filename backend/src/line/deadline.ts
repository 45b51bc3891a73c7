// The SDK's fetch calls take no timeout or abort signal, so a caller that must answer someone in time
// (an agent sending, an admin on the settings page) races the call against a deadline. The request itself
// is left to finish in the background: what LINE does with it is unknown, which is why a timeout is a
// failure without an answer (status 0), not a refusal.
import { LineApiError } from './line-api-error.ts';

export async function withDeadline<T>(operation: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new LineApiError({ status: 0, operation, timeoutMs, transportFailure: `no answer within ${timeoutMs / 1000} s` })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([call(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
