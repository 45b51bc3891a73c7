// The demo's fixed world: one portal, one app, one LINE channel and its first user. Derived from constant
// seeds rather than random, so a restart finds the account stored in data/demo/ working with the same
// credentials, and tests can check that none of these secrets reaches the browser.
import { createHash } from 'node:crypto';

const fixed = (purpose: string) => createHash('sha512').update(`line-for-hubspot demo ${purpose}`).digest();

export const DEMO = {
  portalId: 20260001,
  channel: {
    channelId: '2006000001',
    channelSecret: fixed('channel secret').toString('hex').slice(0, 32),
    accessToken: Buffer.concat([fixed('access token 1'), fixed('access token 2')]).toString('base64url'),
    displayName: 'Demo shop',
  },
  user: { userId: `U${fixed('user').toString('hex').slice(0, 32)}`, displayName: 'Aiko' },
  hubspot: { clientId: 'demo-client-id', clientSecret: fixed('client secret').toString('hex').slice(0, 36), appId: 20260002 },
};

/** Templates the composer offers on a first run, so the picker has something to show; saved through the real API. */
export const DEMO_TEMPLATES = [
  { name: 'Thanks / お礼', messages: [{ type: 'text', text: 'ありがとうございます！担当者より折り返しご連絡いたします。 Thank you! We will get back to you shortly.' }] },
  { name: 'Opening hours / 営業時間', messages: [{ type: 'text', text: '営業時間は平日10時〜18時です。 We are open weekdays 10:00-18:00.' }] },
  { name: 'Welcome with a sticker / ようこそ', messages: [{ type: 'text', text: 'ようこそ！ Welcome!' }, { type: 'sticker', packageId: '446', stickerId: '1988' }] },
];
