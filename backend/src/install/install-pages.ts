// The HTML pages a person sees at the end of an install, in English and Japanese (we do not know the
// HubSpot user's locale here, so both are shown; the browser's preferred one comes first).
import { escapeHtml } from '../http/html.ts';
import { inlineSource, type PagePolicy } from '../http/html-page.ts';

const STYLE =
  'body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#33475b;line-height:1.6}section+section{border-top:1px solid #cbd6e2;margin-top:2rem;padding-top:1rem}h1{font-size:1.4rem}a{color:#0091ae}';

/** The pages' only need: their own inline style. */
export const installPagePolicy: PagePolicy = { 'style-src': [inlineSource(STYLE)] };

export interface PageText {
  title: string;
  message: string;
  linkLabel?: string;
}

export interface InstallPage {
  status: number;
  en: PageText;
  ja: PageText;
  link?: string;
}

function section(lang: 'en' | 'ja', text: PageText, link: string | undefined): string {
  const anchor = link && text.linkLabel ? `<p><a href="${escapeHtml(link)}">${escapeHtml(text.linkLabel)}</a></p>` : '';
  return `<section lang="${lang}"><h1>${escapeHtml(text.title)}</h1><p>${escapeHtml(text.message)}</p>${anchor}</section>`;
}

export function renderInstallPage(page: InstallPage, preferJapanese: boolean): string {
  const en = section('en', page.en, page.link);
  const ja = section('ja', page.ja, page.link);
  const title = preferJapanese ? `${page.ja.title} / ${page.en.title}` : `${page.en.title} / ${page.ja.title}`;
  return `<!doctype html>
<html lang="${preferJapanese ? 'ja' : 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>${preferJapanese ? ja + en : en + ja}</body>
</html>`;
}

const startAgain = { en: 'Start the installation again', ja: 'インストールをやり直す' };

export const installPages = {
  installed: (settingsUrl: string): InstallPage => ({
    status: 200,
    link: settingsUrl,
    en: {
      title: 'LINE Connector is installed',
      message: 'Next, connect your LINE Official Account: open Connected apps in HubSpot, choose LINE Connector and go to its settings.',
      linkLabel: 'Open Connected apps in HubSpot',
    },
    ja: {
      title: 'LINE Connector をインストールしました',
      message: '次に LINE 公式アカウントを接続してください。HubSpot の「接続されたアプリ」で LINE Connector を選び、設定を開きます。',
      linkLabel: 'HubSpot の「接続されたアプリ」を開く',
    },
  }),
  denied: (installUrl: string): InstallPage => ({
    status: 400,
    link: installUrl,
    en: { title: 'Installation cancelled', message: 'The app was not installed because access was not granted in HubSpot. Nothing was stored.', linkLabel: startAgain.en },
    ja: { title: 'インストールはキャンセルされました', message: 'HubSpot でアクセスが許可されなかったため、アプリはインストールされていません。何も保存されていません。', linkLabel: startAgain.ja },
  }),
  badRequest: (installUrl: string): InstallPage => ({
    status: 400,
    link: installUrl,
    en: { title: 'This install link is incomplete', message: 'HubSpot did not send back the information needed to finish the installation. Nothing was stored.', linkLabel: startAgain.en },
    ja: { title: 'インストールリンクが不完全です', message: 'インストールの完了に必要な情報が HubSpot から返されませんでした。何も保存されていません。', linkLabel: startAgain.ja },
  }),
  badState: (installUrl: string): InstallPage => ({
    status: 400,
    link: installUrl,
    en: { title: 'This install link is invalid or has expired', message: 'Install links work once, for 10 minutes. Nothing was stored.', linkLabel: startAgain.en },
    ja: { title: 'インストールリンクが無効か、有効期限が切れています', message: 'インストールリンクは 1 回だけ、10 分間有効です。何も保存されていません。', linkLabel: startAgain.ja },
  }),
  replayed: (installUrl: string): InstallPage => ({
    status: 409,
    link: installUrl,
    en: { title: 'This install link was already used', message: 'Each install link works once. If the app is not installed yet, start again.', linkLabel: startAgain.en },
    ja: { title: 'このインストールリンクは使用済みです', message: 'インストールリンクは 1 回だけ有効です。まだインストールされていない場合は、やり直してください。', linkLabel: startAgain.ja },
  }),
  refused: (installUrl: string): InstallPage => ({
    status: 400,
    link: installUrl,
    en: { title: 'HubSpot did not accept the installation', message: 'The authorization could not be completed (it may have expired). Nothing was stored.', linkLabel: startAgain.en },
    ja: { title: 'HubSpot がインストールを受け付けませんでした', message: '認可を完了できませんでした(有効期限切れの可能性があります)。何も保存されていません。', linkLabel: startAgain.ja },
  }),
  unavailable: (installUrl: string): InstallPage => ({
    status: 502,
    link: installUrl,
    en: { title: 'HubSpot could not be reached', message: 'The installation could not be completed because HubSpot did not answer. Nothing was stored; please try again in a few minutes.', linkLabel: startAgain.en },
    ja: { title: 'HubSpot に接続できませんでした', message: 'HubSpot から応答がなかったため、インストールを完了できませんでした。何も保存されていません。数分後にもう一度お試しください。', linkLabel: startAgain.ja },
  }),
  notConfigured: (): InstallPage => ({
    status: 503,
    en: { title: 'Installation is not available', message: 'This backend has no HubSpot app credentials (HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET). Ask its operator to configure them.' },
    ja: { title: 'インストールできません', message: 'このバックエンドには HubSpot アプリの認証情報(HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET)が設定されていません。運用担当者に設定を依頼してください。' },
  }),
};
