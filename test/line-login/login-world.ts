// The world of the LINE Login tests: the inbound world (backend, emulators, a portal with its LINE
// properties, a connected LINE account) plus a LINE Login channel linked to that account's bot, with
// the backend's callback URL registered, and a browser that follows the login without a real one.
import { loginUrls } from '../../backend/src/accounts/account-urls.ts';
import { updateAccount } from '../../backend/src/accounts/repository.ts';
import type { AuthorizePlan, LoginChannel } from '../emulators/line/index.ts';
import { createTestDatabase, type Engine } from '../support/databases.ts';
import { startInboundWorld, type InboundWorld } from '../support/inbound-world.ts';

export interface LoginWorld extends InboundWorld {
  loginChannel: LoginChannel;
  liffId: string;
  urls: ReturnType<typeof loginUrls>;
  /** Sets the account's LINE Login settings as the settings page stores them. */
  configure(o?: { requireEmail?: boolean; redirectUrl?: string | null; liffId?: string | null }): Promise<void>;
  browser(o?: { acceptLanguage?: string }): LoginBrowser;
}

export interface Answer {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
}

/** A browser as far as the login needs one: its cookies (by name) and manual redirects. */
export class LoginBrowser {
  readonly cookies = new Map<string, string>();
  readonly acceptLanguage: string;
  constructor(acceptLanguage = 'en') {
    this.acceptLanguage = acceptLanguage;
  }

  async get(url: string): Promise<Answer> {
    return this.request(url, { method: 'GET' });
  }

  async request(url: string, init: RequestInit): Promise<Answer> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), 'accept-language': this.acceptLanguage, ...(cookie ? { cookie } : {}) } });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const [name, ...value] = pair.split('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(set)) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers };
  }
}

export async function startLoginWorld(o: { engine?: Engine } = {}): Promise<LoginWorld> {
  const database = await createTestDatabase(o.engine ?? 'sqlite');
  const world = await startInboundWorld({ databaseUrl: database.url });
  const urls = loginUrls(world.backend.config, world.account.loginKey);
  const loginChannel = world.line.createLoginChannel({ botChannelId: world.account.channel.channelId, callbackUrls: [urls.callbackUrl] });
  const liffId = loginChannel.liffIds[0];
  return {
    ...world,
    async close() {
      await world.close();
      await database.drop();
    },
    loginChannel,
    liffId,
    urls,
    async configure(c = {}) {
      await updateAccount(world.ctx, world.portal.portalId, world.account.id, {
        loginChannelId: loginChannel.channelId,
        loginChannelSecret: loginChannel.channelSecret,
        loginRequireEmail: c.requireEmail ?? true,
        loginRedirectUrl: c.redirectUrl ?? null,
        liffId: c.liffId === undefined ? null : c.liffId,
      });
    },
    browser: (b = {}) => new LoginBrowser(b.acceptLanguage),
  };
}

/**
 * The whole web login as a browser does it: the login URL, LINE's authorize page answered as `plan`
 * says, then the callback. Answers the callback's answer.
 */
export async function logIn(w: LoginWorld, browser: LoginBrowser, plan: AuthorizePlan, o: { next?: string } = {}): Promise<Answer> {
  const start = await browser.get(o.next === undefined ? w.urls.loginUrl : `${w.urls.loginUrl}?next=${encodeURIComponent(o.next)}`);
  if (start.status !== 302 || !start.location) throw new Error(`login start answered ${start.status}: ${start.text}`);
  w.line.login.nextAuthorize(plan);
  const authorize = await browser.get(start.location);
  if (authorize.status !== 302 || !authorize.location) throw new Error(`LINE authorize answered ${authorize.status}: ${authorize.text}`);
  return browser.get(authorize.location);
}
