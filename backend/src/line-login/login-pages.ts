// What a customer reads at the end of a LINE Login, in English and Japanese: each outcome with its
// HTTP status and, where trying again helps, a button back to the start of the login.
import type { Bilingual, Html, PageText } from './page-layout.ts';
import { buttonLink, html } from './page-layout.ts';

export interface LoginPage {
  status: number;
  text: Bilingual<PageText>;
}

const again = (loginUrl: string): Bilingual<Html> => ({ en: buttonLink(loginUrl, 'Log in with LINE again'), ja: buttonLink(loginUrl, 'もう一度 LINE でログイン') });

function page(status: number, en: [string, string], ja: [string, string], extra?: Bilingual<Html>): LoginPage {
  return {
    status,
    text: {
      en: { title: en[0], paragraphs: [en[1], ...(extra ? [extra.en] : [])] },
      ja: { title: ja[0], paragraphs: [ja[1], ...(extra ? [extra.ja] : [])] },
    },
  };
}

export const loginPages = {
  linked: (accountName: string) =>
    page(
      200,
      ['Your LINE account is linked', `Thank you. ${accountName} now knows your LINE account and can reach you on LINE. You can close this page.`],
      ['LINE アカウントを連携しました', `ありがとうございます。${accountName} があなたの LINE アカウントと連携しました。このページは閉じてかまいません。`],
    ),
  linkPending: (accountName: string, continueUrl: string | null) =>
    page(
      200,
      ['Your LINE account is being linked', `Thank you. ${accountName} is linking your LINE account; this can take a minute. You can close this page.`],
      ['LINE アカウントを連携しています', `ありがとうございます。${accountName} があなたの LINE アカウントを連携しています。少し時間がかかる場合があります。このページは閉じてかまいません。`],
      continueUrl ? { en: buttonLink(continueUrl, 'Continue'), ja: buttonLink(continueUrl, '続ける') } : undefined,
    ),
  notFound: () =>
    page(404, ['This login link does not exist', 'Check the link or QR code you used, or ask the company for a new one.'], ['このログインリンクは存在しません', 'お使いのリンクまたは QR コードをご確認いただくか、新しいリンクを企業にお問い合わせください。']),
  notConfigured: () =>
    page(
      404,
      ['LINE Login is not set up yet', 'This company has not finished setting up LINE Login. Please try again later.'],
      ['LINE ログインはまだ設定されていません', 'この企業は LINE ログインの設定を完了していません。しばらくしてからもう一度お試しください。'],
    ),
  badNext: (loginUrl: string) =>
    page(
      400,
      ['This login link is not valid', 'The link asks to go somewhere after the login that this company did not set up. Use the login link without changes.'],
      ['このログインリンクは無効です', 'このリンクは、企業が設定していないログイン後の移動先を指定しています。ログインリンクを変更せずにお使いください。'],
      again(loginUrl),
    ),
  cancelled: (loginUrl: string) =>
    page(
      400,
      ['Login cancelled', 'You did not allow the login on LINE, so nothing was linked.'],
      ['ログインはキャンセルされました', 'LINE でログインが許可されなかったため、何も連携されていません。'],
      again(loginUrl),
    ),
  linkedWithoutEmail: (accountName: string, loginUrl: string, continueUrl: string | null) =>
    page(
      200,
      ['Linked without your email address', `Your LINE account is linked, but LINE did not share your email address (it was not allowed, or LINE has none), so ${accountName} could not match it to your customer record. To be matched, log in again and allow access to your email address.`],
      ['メールアドレスなしで連携しました', `LINE アカウントは連携されましたが、LINE からメールアドレスが提供されなかった(許可されなかった、または LINE に登録がない)ため、${accountName} のお客様情報と照合できませんでした。照合するには、もう一度ログインしてメールアドレスの取得を許可してください。`],
      continueUrl ? { en: html(again(loginUrl).en.html + buttonLink(continueUrl, 'Continue').html), ja: html(again(loginUrl).ja.html + buttonLink(continueUrl, '続ける').html) } : again(loginUrl),
    ),
  lineError: (loginUrl: string) =>
    page(
      400,
      ['LINE could not complete the login', 'LINE reported a problem with this login. Nothing was linked.'],
      ['LINE でログインを完了できませんでした', 'LINE からこのログインに関する問題が報告されました。何も連携されていません。'],
      again(loginUrl),
    ),
  badState: (loginUrl: string) =>
    page(
      400,
      ['This login has expired or is invalid', 'A login must be finished within 10 minutes, in the browser where it started. Nothing was linked.'],
      ['このログインは無効か、有効期限が切れています', 'ログインは開始したブラウザで 10 分以内に完了する必要があります。何も連携されていません。'],
      again(loginUrl),
    ),
  foreignState: (loginUrl: string) =>
    page(
      403,
      ['This login was started elsewhere', 'The login did not start in this browser, so it cannot be finished here. Nothing was linked.'],
      ['このログインは別の場所で開始されました', 'このログインはこのブラウザで開始されたものではないため、ここでは完了できません。何も連携されていません。'],
      again(loginUrl),
    ),
  replayed: (loginUrl: string) =>
    page(
      409,
      ['This login was already used', 'Each login works once. If your LINE account is not linked yet, start again.'],
      ['このログインは使用済みです', 'ログインは 1 回だけ有効です。まだ連携されていない場合は、もう一度お試しください。'],
      again(loginUrl),
    ),
  invalidToken: (loginUrl: string) =>
    page(
      400,
      ['Your login could not be confirmed', 'LINE did not confirm this login, so nothing was linked.'],
      ['ログインを確認できませんでした', 'LINE でこのログインを確認できなかったため、何も連携されていません。'],
      again(loginUrl),
    ),
  linkedElsewhere: (accountName: string) =>
    page(
      409,
      ['Your LINE account is already linked', `Your LINE account is already linked to another customer record at ${accountName}, so it was not changed. Please contact ${accountName} if this is not right.`],
      ['LINE アカウントはすでに連携されています', `あなたの LINE アカウントは ${accountName} の別のお客様情報と連携済みのため、変更していません。お心当たりがない場合は ${accountName} にお問い合わせください。`],
    ),
  contactTaken: (accountName: string) =>
    page(
      409,
      ['This email is linked to another LINE account', `The customer record with your email address at ${accountName} is already linked to another LINE account, so nothing was changed. Please contact ${accountName}.`],
      ['このメールアドレスは別の LINE アカウントと連携済みです', `${accountName} でお客様のメールアドレスのお客様情報は別の LINE アカウントと連携済みのため、何も変更していません。${accountName} にお問い合わせください。`],
    ),
  unavailable: (loginUrl: string) =>
    page(
      502,
      ['Please try again in a moment', 'The login could not be finished because a service did not answer. Please start again.'],
      ['しばらくしてからもう一度お試しください', 'サービスから応答がなかったため、ログインを完了できませんでした。もう一度お試しください。'],
      again(loginUrl),
    ),
};

/** The page for each way a returned state can be wrong (login-states.ts). */
export const statePages: Record<'unknown' | 'expired' | 'foreign' | 'replayed', (loginUrl: string) => LoginPage> = {
  unknown: loginPages.badState,
  expired: loginPages.badState,
  foreign: loginPages.foreignState,
  replayed: loginPages.replayed,
};
