// The one place the card talks to its backend: hubspot.fetch (signed by HubSpot), with a timeout and the
// backend's error shape { error: { code, message } } turned into a BackendError the UI can show.
import { hubspot } from '@hubspot/ui-extensions';

/** hubspot.fetch gives up after 15 s; ask for a little less so our own message is the one shown. */
export const DEFAULT_TIMEOUT_MS = 14_000;

export class BackendError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'BackendError';
    this.status = status;
    this.code = code;
  }
}

export interface BackendClient {
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  post<T>(path: string, body: Record<string, unknown>): Promise<T>;
}

function withQuery(url: string, query: Record<string, string | number | undefined> = {}): string {
  const pairs = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return pairs.length ? `${url}?${pairs.join('&')}` : url;
}

async function request<T>(url: string, init: { method: 'GET' | 'POST'; body?: Record<string, unknown>; timeout: number }): Promise<T> {
  let response: Response;
  try {
    response = await hubspot.fetch(url, init);
  } catch (error) {
    throw new BackendError(0, 'network_error', error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new BackendError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`);
  }
  return body as T;
}

export function backendClient(baseUrl: string): BackendClient {
  const root = baseUrl.replace(/\/+$/, '');
  return {
    get: (path, query) => request(withQuery(`${root}${path}`, query), { method: 'GET', timeout: DEFAULT_TIMEOUT_MS }),
    post: (path, body) => request(`${root}${path}`, { method: 'POST', body, timeout: DEFAULT_TIMEOUT_MS }),
  };
}
