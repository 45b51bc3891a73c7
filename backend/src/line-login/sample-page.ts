// GET /line/login/:loginKey/sample: the "LINE Login sample page" LINE asks for when a company applies for
// the email permission: what the login collects, why, and the button that starts it, in both languages.
// It stays public and works before the Login channel is set up, since the application comes first.
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { escapeHtml } from '../http/html.ts';
import { sendHtmlPage } from '../http/html-page.ts';
import { isAccountKey } from '../accounts/account-keys.ts';
import { loginUrls } from '../accounts/account-urls.ts';
import { findAccountByLoginKey } from '../accounts/repository.ts';
import { loginPages } from './login-pages.ts';
import { basePolicy, buttonLink, html, preferredLang, renderPage, type Bilingual, type PageText } from './page-layout.ts';
import { sendLoginPage } from './respond.ts';

const list = (items: string[]) => html(`<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);

function sampleText(company: string, loginUrl: string): Bilingual<PageText> {
  return {
    en: {
      title: `Link your LINE account with ${company}`,
      paragraphs: [
        `Log in with LINE to link your LINE account to your customer record at ${company}. With your permission, LINE gives ${company}:`,
        list(['your LINE user ID, display name and profile picture', 'your email address registered with LINE']),
        `${company} uses your email address only to find your existing customer record and link your LINE account to it, so that messages and support reach you on LINE. If you do not allow the email address, your LINE account is linked without it. You are also offered to add ${company} as a friend on LINE.`,
        buttonLink(loginUrl, 'Log in with LINE'),
      ],
    },
    ja: {
      title: `LINE アカウントを ${company} と連携する`,
      paragraphs: [
        `LINE でログインすると、あなたの LINE アカウントを ${company} のお客様情報と連携します。許可いただいた場合、LINE から ${company} に次の情報が提供されます。`,
        list(['LINE のユーザー ID、表示名、プロフィール画像', 'LINE に登録されているメールアドレス']),
        `${company} はメールアドレスを、既存のお客様情報を見つけて LINE アカウントと連携するためだけに使用し、メッセージやサポートを LINE でお届けします。メールアドレスを許可しない場合は、メールアドレスなしで連携します。また、${company} を LINE の友だちに追加するかどうかを選べます。`,
        buttonLink(loginUrl, 'LINE でログイン'),
      ],
    },
  };
}

export function sampleRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/line/login/:loginKey/sample', async (req, res) => {
    const loginKey = String(req.params.loginKey);
    const account = isAccountKey(loginKey) ? await findAccountByLoginKey(ctx, loginKey) : undefined;
    if (!account) return sendLoginPage(req, res, loginPages.notFound());
    res.set('cache-control', 'no-store');
    sendHtmlPage(res, 200, renderPage(sampleText(account.displayName, loginUrls(ctx.config, loginKey).loginUrl), preferredLang(req)), basePolicy);
  });
  return router;
}
