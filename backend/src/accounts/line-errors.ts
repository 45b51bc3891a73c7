// Turning what the LINE SDK throws into something an admin can act on, without leaking tokens.
import { HTTPFetchError } from '@line/bot-sdk';

/** LINE's own error message ({ message } body), or a short description of a network failure. */
export function lineErrorMessage(error: unknown): string {
  if (error instanceof HTTPFetchError) {
    try {
      const body = JSON.parse(error.body) as { message?: unknown; error_description?: unknown };
      const message = body.message ?? body.error_description;
      if (typeof message === 'string' && message) return `LINE answered ${error.status}: ${message}`;
    } catch {
      // Not JSON: fall through to the status line.
    }
    return `LINE answered ${error.status} ${error.statusText}`.trim();
  }
  if (error instanceof Error) return `LINE could not be reached (${error.message})`;
  return 'LINE could not be reached';
}

/** The HTTP status LINE answered, or undefined for network failures and timeouts. */
export function lineStatus(error: unknown): number | undefined {
  return error instanceof HTTPFetchError ? error.status : undefined;
}

export class LineTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${Math.round(ms / 1000)} s`);
    this.name = 'LineTimeoutError';
  }
}

/**
 * The SDK's fetch calls have no timeout; an admin waiting on the settings page must get an answer,
 * so each call is raced against a deadline (the request itself is left to finish in the background).
 */
export async function withDeadline<T>(what: string, ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new LineTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([call(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
