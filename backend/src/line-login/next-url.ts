// Where a login may send the browser afterwards (`?next=`): the account's own after-login URL, or a
// path on this backend. Anything else is refused, so a login link cannot be turned into a redirect to
// someone else's site.
import type { LineAccount } from '../accounts/repository.ts';

function allowedNextUrl(publicBaseUrl: string, account: Pick<LineAccount, 'loginRedirectUrl'>, next: string): string | null {
  if (account.loginRedirectUrl !== null && next === account.loginRedirectUrl) return next;
  // A path of ours: one leading slash only ("//host" and "/\host" are other hosts to a browser).
  if (!/^\/(?![/\\])/.test(next) || [...next].some((c) => c === '\\' || c.charCodeAt(0) < 0x20)) return null;
  const base = new URL(publicBaseUrl);
  const resolved = new URL(next, base);
  return resolved.origin === base.origin ? resolved.toString() : null;
}

/** The `next` query parameter as a URL the login may go to; null when absent or not allowed. */
export function nextOf(publicBaseUrl: string, account: Pick<LineAccount, 'loginRedirectUrl'>, next: unknown): string | null {
  return typeof next === 'string' && next.length <= 2000 ? allowedNextUrl(publicBaseUrl, account, next) : null;
}
