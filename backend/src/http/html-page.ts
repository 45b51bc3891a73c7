// Every HTML page the backend serves goes out through sendHtmlPage, under a Content-Security-Policy that
// forbids everything (scripts, frames, forms, a <base> tag, being framed) except what that page declares
// it needs. Inline code is allowed by hash, never with 'unsafe-inline', so injected markup stays inert.
// (X-Content-Type-Options: nosniff is on every response, set in app.ts.)
import { createHash } from 'node:crypto';
import type { Response } from 'express';

type Directive = 'script-src' | 'style-src' | 'img-src' | 'connect-src' | 'font-src' | 'form-action';

/** What a page needs beyond nothing: sources per directive (URLs, keywords, inlineSource hashes). */
export type PagePolicy = Partial<Record<Directive, string[]>>;

const NOTHING: Record<string, string[]> = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** The CSP source that allows exactly this inline <style> or <script> content. */
export function inlineSource(content: string): string {
  return `'sha256-${createHash('sha256').update(content).digest('base64')}'`;
}

export function contentSecurityPolicy(policy: PagePolicy = {}): string {
  return Object.entries({ ...NOTHING, ...policy })
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

export function sendHtmlPage(res: Response, status: number, html: string, policy: PagePolicy = {}): void {
  res
    .status(status)
    .set({
      'content-security-policy': contentSecurityPolicy(policy),
      'referrer-policy': 'no-referrer',
    })
    .type('html')
    .send(html);
}
