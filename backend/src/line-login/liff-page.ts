// The LIFF endpoint page: inside LINE the LIFF SDK logs the user in without a password; the page then
// posts the LIFF ID token to the backend with a form (no fetch: the answer is a page or a redirect,
// like the web login's). The SDK is loaded from LINE's own URL, the only script besides the inline one.
import { escapeHtml } from '../http/html.ts';
import { inlineSource, type PagePolicy } from '../http/html-page.ts';
import { LIFF_SDK_URL } from '../line/login-api.ts';
import { basePolicy, html, renderPage, type Bilingual, type Lang, type PageText } from './page-layout.ts';

const SCRIPT = `(function () {
  var data = document.body.dataset;
  function failed() {
    var steps = document.querySelectorAll('[data-step]');
    for (var i = 0; i < steps.length; i++) steps[i].hidden = steps[i].getAttribute('data-step') !== 'failed';
  }
  if (!window.liff) return failed();
  liff.init({ liffId: data.liffId }).then(function () {
    if (!liff.isLoggedIn()) return liff.login({ redirectUri: location.href });
    var token = liff.getIDToken();
    if (!token) return failed();
    var form = document.getElementById('link');
    form.elements.idToken.value = token;
    form.submit();
  }).catch(failed);
})();`;

/** LINE's hosts the LIFF SDK talks to while it logs the user in. */
const LIFF_CONNECT = ['https://api.line.me', 'https://access.line.me', 'https://liffsdk.line-scdn.net'];

/** Where a form may send the browser: here, and on to the after-login URL our answer redirects to. */
function formTargets(destination: string | null): string[] {
  if (!destination) return ["'self'"];
  const url = new URL(destination);
  return ["'self'", url.protocol === 'https:' ? url.origin : url.protocol];
}

export function liffPagePolicy(destination: string | null): PagePolicy {
  return {
    ...basePolicy,
    'script-src': [LIFF_SDK_URL, inlineSource(SCRIPT)],
    'connect-src': LIFF_CONNECT,
    'form-action': formTargets(destination),
  };
}

const step = (name: string, text: string) => html(`<p data-step="${name}"${name === 'failed' ? ' hidden' : ''}>${escapeHtml(text)}</p>`);

function text(loginUrl: string): Bilingual<PageText> {
  const link = (label: string) => html(`<p data-step="failed" hidden><a class="button" href="${escapeHtml(loginUrl)}">${escapeHtml(label)}</a></p>`);
  return {
    en: {
      title: 'Linking your LINE account',
      paragraphs: [step('working', 'One moment, please…'), step('failed', 'This page works inside the LINE app. You can also log in with LINE in your browser.'), link('Log in with LINE')],
    },
    ja: {
      title: 'LINE アカウントを連携しています',
      paragraphs: [step('working', 'しばらくお待ちください…'), step('failed', 'このページは LINE アプリ内で動作します。ブラウザで LINE ログインすることもできます。'), link('LINE でログイン')],
    },
  };
}

export function renderLiffPage(lang: Lang, o: { liffId: string; state: string; postUrl: string; loginUrl: string }): string {
  const form = `<form id="link" method="post" action="${escapeHtml(o.postUrl)}" hidden><input type="hidden" name="state" value="${escapeHtml(o.state)}"><input type="hidden" name="idToken" value=""></form>`;
  const scripts = `<script src="${LIFF_SDK_URL}" charset="utf-8"></script><script>${SCRIPT}</script>`;
  return renderPage(text(o.loginUrl), lang, { tail: form + scripts, bodyData: { 'liff-id': o.liffId } });
}
