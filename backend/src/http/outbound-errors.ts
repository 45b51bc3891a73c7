// What every outbound HTTP client needs to read a failure the same way, whichever platform it called:
// whether an answer arrived at all, and how long the platform asked us to wait.

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** fetch() failures and aborted requests: no HTTP response arrived. */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  const code = (error as { code?: string }).code ?? (error.cause as { code?: string } | undefined)?.code;
  if (code && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) return true;
  return error instanceof TypeError && error.message === 'fetch failed';
}

/** Retry-After is delta-seconds or an HTTP date. */
export function retryAfterMsOf(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
