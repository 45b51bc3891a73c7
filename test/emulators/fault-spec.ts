// What both emulators accept to make matching requests fail, slow down or hang. Each emulator adds its own
// matching options and documents its `times` default (LINE: 1; HubSpot: every match until `clear()`).

export interface BaseFaultSpec {
  method?: string;
  /** The request path (without query), or a pattern tested against it. */
  path: string | RegExp;
  /** Status to answer, with the platform's error body unless `body` is given. */
  status?: number;
  /** How many matching requests are affected. */
  times?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Never answer (until the emulator closes). */
  hang?: boolean;
  /** Process the request normally, then answer the fault (or hang): a response lost after the work was done. */
  afterProcessing?: boolean;
}
