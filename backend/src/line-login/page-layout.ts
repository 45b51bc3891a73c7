// The HTML frame of every LINE Login page: both languages on one page, the one the browser prefers
// first, so a customer whose browser language is wrong still reads it. Text is escaped here; a body
// part given as Html is markup the caller built from escaped text.
import type { Request } from 'express';
import { escapeHtml } from '../http/html.ts';
import { inlineSource, type PagePolicy } from '../http/html-page.ts';

export type Lang = 'en' | 'ja';

export interface Html {
  html: string;
}

export const html = (markup: string): Html => ({ html: markup });

export interface Bilingual<T> {
  en: T;
  ja: T;
}

export interface PageText {
  title: string;
  paragraphs: Array<string | Html>;
}

const STYLE =
  'body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#33475b;line-height:1.6}' +
  'section+section{border-top:1px solid #cbd6e2;margin-top:2rem;padding-top:1rem}h1{font-size:1.3rem}a{color:#0091ae}' +
  '.button{display:inline-block;background:#06c755;color:#fff;border:0;border-radius:6px;padding:.7rem 1.2rem;font-size:1rem;text-decoration:none}' +
  '[hidden]{display:none}';

/** What every page needs: its own inline style. Pages with more (a script, a form) add to it. */
export const basePolicy: PagePolicy = { 'style-src': [inlineSource(STYLE)] };

export function preferredLang(req: Request): Lang {
  // English unless the browser prefers Japanese (`*` or no header means English).
  return req.acceptsLanguages('en', 'ja') === 'ja' ? 'ja' : 'en';
}

const part = (p: string | Html) => (typeof p === 'string' ? `<p>${escapeHtml(p)}</p>` : p.html);

function section(lang: Lang, text: PageText): string {
  return `<section lang="${lang}"><h1>${escapeHtml(text.title)}</h1>${text.paragraphs.map(part).join('')}</section>`;
}

export interface PageExtras {
  /** Markup placed once, after both languages (forms, script tags). */
  tail?: string;
  /** Attributes of <body>, values escaped here (data the page's script reads). */
  bodyData?: Record<string, string>;
}

export function renderPage(text: Bilingual<PageText>, lang: Lang, extras: PageExtras = {}): string {
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  const data = Object.entries(extras.bodyData ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(`${text[lang].title} / ${text[other].title}`)}</title>
<style>${STYLE}</style>
</head>
<body${data}>${section(lang, text[lang])}${section(other, text[other])}${extras.tail ?? ''}</body>
</html>`;
}

/** A link styled as a button, with escaped label and URL. */
export function buttonLink(url: string, label: string): Html {
  return html(`<p><a class="button" href="${escapeHtml(url)}">${escapeHtml(label)}</a></p>`);
}
