// The OAuth `state` of an install: sealed (encrypted and authenticated) with the backend's key, so it
// cannot be forged; it carries its own 10-minute expiry, and its nonce is recorded when used, so it
// works once. Nothing is stored until a valid state comes back.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../context.ts';

export const STATE_TTL_MS = 10 * 60_000;
const SEAL_CONTEXT = 'oauth:install-state';

const statePayload = z.object({ n: z.string().min(16).max(64), exp: z.number().int() });

export type StateCheck = { ok: true } | { ok: false; problem: 'invalid' | 'expired' | 'replayed' };

export function issueInstallState(ctx: AppContext, now = Date.now()): string {
  const payload = { n: randomBytes(18).toString('base64url'), exp: now + STATE_TTL_MS };
  return ctx.secrets.seal(JSON.stringify(payload), SEAL_CONTEXT);
}

/** Validates a returned state and marks it used; a second call with the same state answers `replayed`. */
export async function consumeInstallState(ctx: AppContext, state: string, now = Date.now()): Promise<StateCheck> {
  let payload: z.infer<typeof statePayload>;
  try {
    payload = statePayload.parse(JSON.parse(ctx.secrets.open(state, SEAL_CONTEXT)));
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (payload.exp < now) return { ok: false, problem: 'expired' };
  await ctx.db('oauth_state_uses').where('expires_at', '<', now).delete();
  const inserted = await ctx.db('oauth_state_uses').insert({ nonce: payload.n, expires_at: payload.exp }).onConflict('nonce').ignore().returning('nonce');
  return inserted.length === 1 ? { ok: true } : { ok: false, problem: 'replayed' };
}
