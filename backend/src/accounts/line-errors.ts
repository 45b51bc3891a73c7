// What an admin reads when LINE refuses or cannot be reached while checking or setting up an account.
import { LineApiError } from '../line/line-channel.ts';

/** LINE's own error message, or a short description of why no answer came. */
export function lineErrorMessage(error: unknown): string {
  if (error instanceof LineApiError && error.status > 0) {
    if (error.lineMessage) return `LINE answered ${error.status}: ${error.lineMessage}`;
    return `LINE answered ${error.status} ${error.statusText ?? ''}`.trim();
  }
  if (error instanceof LineApiError) return `LINE could not be reached (${error.transportFailure})`;
  if (error instanceof Error) return `LINE could not be reached (${error.message})`;
  return 'LINE could not be reached';
}
