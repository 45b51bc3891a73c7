// The LINE Login attempts in flight (line_login_states): the only code that reads or writes them.
// A state is issued for one account and one browser (the hash of a cookie value) and is taken once:
// the take is a guarded update, so two callbacks racing with the same state cannot both succeed.
// A taken state then carries the verified user (sealed) to the link job, and the job's outcome back to
// the browser that waits for it; both live only as long as the state row (purged once expired).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.ts';

export const LOGIN_STATE_TTL_MS = 10 * 60_000;
const VERIFIER_CONTEXT = 'line_login_states:code_verifier';
const USER_CONTEXT = 'line_login_states:login_user';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const random = () => randomBytes(32).toString('base64url');

export interface IssuedLoginState {
  state: string;
  /** The cookie value that binds the state to this browser. */
  browserKey: string;
  nonce: string;
  /** PKCE: what LINE gets is its S256 challenge; the verifier goes with the code exchange. */
  codeVerifier: string;
  codeChallenge: string;
}

export interface LoginAttempt {
  /** Names the attempt to the link job (the state itself is never stored). */
  stateHash: string;
  portalId: number;
  accountId: number;
  nonce: string;
  codeVerifier: string;
  nextUrl: string | null;
}

export type TakenLoginState = { ok: true; attempt: LoginAttempt } | { ok: false; problem: 'unknown' | 'foreign' | 'expired' | 'replayed' };

export async function issueLoginState(ctx: AppContext, account: { id: number; portalId: number }, nextUrl: string | null, now = Date.now()): Promise<IssuedLoginState> {
  const issued = { state: random(), browserKey: random(), nonce: random(), codeVerifier: random() };
  await ctx.db('line_login_states').where('expires_at', '<', now).delete();
  await ctx.db('line_login_states').insert({
    state_hash: sha256(issued.state),
    portal_id: account.portalId,
    line_account_id: account.id,
    browser_hash: sha256(issued.browserKey),
    nonce: issued.nonce,
    code_verifier: ctx.secrets.seal(issued.codeVerifier, VERIFIER_CONTEXT),
    next_url: nextUrl,
    expires_at: now + LOGIN_STATE_TTL_MS,
  });
  return { ...issued, codeChallenge: createHash('sha256').update(issued.codeVerifier).digest('base64url') };
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Takes the state for the account's callback in the browser holding `browserKey`. A state of another
 * account or another browser is `foreign` and stays usable by its own browser; a taken one is `replayed`.
 * A taken state lives another 10 minutes, for the link job and its outcome.
 */
export async function takeLoginState(ctx: AppContext, accountId: number, state: string, browserKey: string | undefined, now = Date.now()): Promise<TakenLoginState> {
  const stateHash = sha256(state);
  const row = await ctx.db('line_login_states').where({ state_hash: stateHash }).first();
  if (!row) return { ok: false, problem: 'unknown' };
  if (Number(row.line_account_id) !== accountId || !browserKey || !sameHash(String(row.browser_hash), sha256(browserKey))) return { ok: false, problem: 'foreign' };
  if (row.used_at !== null) return { ok: false, problem: 'replayed' };
  if (Number(row.expires_at) < now) return { ok: false, problem: 'expired' };
  const taken = await ctx.db('line_login_states').where({ state_hash: stateHash }).whereNull('used_at').update({ used_at: now, expires_at: now + LOGIN_STATE_TTL_MS });
  if (taken !== 1) return { ok: false, problem: 'replayed' };
  return {
    ok: true,
    attempt: {
      stateHash,
      portalId: Number(row.portal_id),
      accountId,
      nonce: String(row.nonce),
      codeVerifier: ctx.secrets.open(String(row.code_verifier), VERIFIER_CONTEXT),
      nextUrl: (row.next_url as string | null) ?? null,
    },
  };
}

/** Stores who logged in with a taken state, for the link job. */
export async function recordLoginUser(ctx: AppContext, stateHash: string, user: unknown): Promise<void> {
  await ctx.db('line_login_states').where({ state_hash: stateHash }).update({ login_user: ctx.secrets.seal(JSON.stringify(user), USER_CONTEXT) });
}

/** The attempt's account and verified user, for the link job; undefined once the row is purged. */
export async function loginUserOf(ctx: AppContext, stateHash: string): Promise<{ portalId: number; accountId: number; user: unknown } | undefined> {
  const row = await ctx.db('line_login_states').where({ state_hash: stateHash }).whereNotNull('login_user').first('portal_id', 'line_account_id', 'login_user');
  if (!row) return undefined;
  return { portalId: Number(row.portal_id), accountId: Number(row.line_account_id), user: JSON.parse(ctx.secrets.open(String(row.login_user), USER_CONTEXT)) };
}

export async function recordLoginOutcome(ctx: AppContext, stateHash: string, outcome: unknown): Promise<void> {
  await ctx.db('line_login_states').where({ state_hash: stateHash }).update({ outcome: JSON.stringify(outcome), login_user: null });
}

export async function loginOutcomeOf(ctx: AppContext, stateHash: string): Promise<unknown> {
  const row = await ctx.db('line_login_states').where({ state_hash: stateHash }).first('outcome');
  return row?.outcome ? JSON.parse(String(row.outcome)) : undefined;
}
