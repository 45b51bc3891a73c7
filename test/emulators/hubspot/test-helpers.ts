// Shared helpers for the HubSpot emulator's own tests.
import { Client } from '@hubspot/api-client';
import { startHubSpotEmulator } from './index.ts';
import type { HubSpotEmulator, Portal } from './index.ts';

export interface Setup {
  hs: HubSpotEmulator;
  portal: Portal;
  token: string;
  client: Client;
}

export async function setup(opts: Parameters<typeof startHubSpotEmulator>[0] = {}): Promise<Setup> {
  const hs = await startHubSpotEmulator(opts);
  const portal = hs.createPortal({ owners: [{ email: 'owner@example.com', firstName: 'Oona', lastName: 'Owner', userId: 501 }] });
  const token = hs.issueTokens(portal.portalId).accessToken;
  return { hs, portal, token, client: clientFor(hs, token) };
}

export const clientFor = (hs: HubSpotEmulator, accessToken: string) => new Client({ accessToken, basePath: hs.baseUrl });

/** Runs `fn`, expecting the official client to throw an ApiException; returns its code and parsed body. */
export async function apiError(fn: () => Promise<unknown>): Promise<{ code: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { code?: number; body?: unknown; headers?: Record<string, string> };
    if (typeof err.code !== 'number') throw e;
    const body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
    return { code: err.code, body: body as Record<string, unknown>, headers: err.headers ?? {} };
  }
  throw new Error('expected the call to fail');
}

export async function api(hs: HubSpotEmulator, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${hs.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
