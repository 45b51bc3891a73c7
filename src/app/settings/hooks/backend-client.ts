// The one way this page talks to the backend: hubspot.fetch (signed by HubSpot, which adds the portal and
// user), JSON in and out, and the backend's { error: { code, message } } turned into a BackendError.
import { hubspot } from '@hubspot/ui-extensions';

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

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface BackendClient {
  request<T>(method: Method, path: string, body?: Record<string, unknown>): Promise<T>;
}

// Checking credentials and running LINE's webhook test can take a while; HubSpot's default is shorter.
const TIMEOUT_MS = 60_000;

export function createBackendClient(baseUrl: string): BackendClient {
  return {
    async request<T>(method: Method, path: string, body?: Record<string, unknown>): Promise<T> {
      let response: Response;
      try {
        response = await hubspot.fetch(`${baseUrl}${path}`, { method, body, timeout: TIMEOUT_MS });
      } catch (error) {
        throw new BackendError(0, 'network', error instanceof Error ? error.message : String(error));
      }
      const text = await response.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON (a proxy's error page): handled below by the status.
      }
      if (!response.ok) {
        const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
        throw new BackendError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`);
      }
      return json as T;
    },
  };
}
