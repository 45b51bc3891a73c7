// How a UI extension holds what it loads from the backend and words a failure: data is loading, failed
// (the error kept as thrown) or ready; a failure is shown in the user's language where the UI knows the
// error code. HubSpot builds each extension folder alone, so the card and the settings page each hold
// this file; test/contracts/ui-clients.test.ts keeps the two identical.

export type Loadable<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; value: T };

/** The UI's own words for a backend error code it knows (texts.errors), else the backend's message. */
export function errorText(texts: { errors: Record<string, string> }, error: unknown): string {
  const e = error as { code?: string; message?: string } | null;
  return (e?.code && texts.errors[e.code]) || e?.message || String(error);
}
