// The one way this UI extension talks to the backend: hubspot.fetch (signed by HubSpot, which appends the
// portal and user), JSON in and out, and the backend's error shape { error: { code, message, fields } }
// turned into a BackendError the UI can explain. HubSpot builds each extension folder alone, so the card
// and the settings page each hold this file; test/contracts/ui-clients.test.ts keeps the two identical.
import { hubspot } from '@hubspot/ui-extensions';

/** hubspot.fetch gives up after 15 s by default; ask for a little less so our own message is the one shown. */
export const DEFAULT_TIMEOUT_MS = 14_000;

export interface FieldProblem {
  path: string;
  message: string;
}

export class BackendError extends Error {
  /** 0 when the request never got an answer (network, timeout). */
  readonly status: number;
  readonly code: string;
  /** For a 400: the invalid fields. */
  readonly fields: FieldProblem[];
  constructor(status: number, code: string, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.name = 'BackendError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | undefined>;

export interface BackendClient {
  request<T>(method: Method, path: string, body?: Record<string, unknown>, query?: Query): Promise<T>;
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body: Record<string, unknown>): Promise<T>;
}

function withQuery(url: string, query: Query = {}): string {
  const pairs = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return pairs.length ? `${url}?${pairs.join('&')}` : url;
}

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: FieldProblem[] };
}

export function createBackendClient(baseUrl: string, options: { timeoutMs?: number } = {}): BackendClient {
  const root = baseUrl.replace(/\/+$/, '');
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  async function request<T>(method: Method, path: string, body?: Record<string, unknown>, query?: Query): Promise<T> {
    let response: Response;
    try {
      response = await hubspot.fetch(withQuery(`${root}${path}`, query), { method, body, timeout });
    } catch (error) {
      throw new BackendError(0, 'network_error', error instanceof Error ? error.message : String(error));
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    if (!response.ok) {
      const error = (json as ErrorBody | null)?.error;
      throw new BackendError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`, error?.fields ?? []);
    }
    return json as T;
  }
  return {
    request,
    get: (path, query) => request('GET', path, undefined, query),
    post: (path, body) => request('POST', path, body),
  };
}
