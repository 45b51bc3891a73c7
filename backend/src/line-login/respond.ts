// How the login routes answer a browser: a bilingual page (never cached), or a redirect.
import type { Request, Response } from 'express';
import { sendHtmlPage } from '../http/html-page.ts';
import type { LoginPage } from './login-pages.ts';
import { basePolicy, preferredLang, renderPage } from './page-layout.ts';

export function sendLoginPage(req: Request, res: Response, page: LoginPage): void {
  res.set('cache-control', 'no-store');
  sendHtmlPage(res, page.status, renderPage(page.text, preferredLang(req)), basePolicy);
}
