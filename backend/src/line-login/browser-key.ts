// The cookie that binds a login's `state` to the browser that started it: Secure, HttpOnly,
// SameSite=Lax (LINE's redirect back is a top-level GET, which Lax lets through), scoped to the
// account's login path and living as long as the state.
import type { Request, Response } from 'express';
import { LOGIN_STATE_TTL_MS } from './login-states.ts';

const COOKIE = 'line_login';

function cookiePath(loginKey: string): string {
  return `/line/login/${loginKey}`;
}

export function setBrowserKey(res: Response, loginKey: string, browserKey: string): void {
  res.cookie(COOKIE, browserKey, { secure: true, httpOnly: true, sameSite: 'lax', path: cookiePath(loginKey), maxAge: LOGIN_STATE_TTL_MS });
}

export function clearBrowserKey(res: Response, loginKey: string): void {
  res.clearCookie(COOKIE, { secure: true, httpOnly: true, sameSite: 'lax', path: cookiePath(loginKey) });
}

export function browserKeyOf(req: Request): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}
