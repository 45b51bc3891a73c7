// The HubSpot install as a person goes through it: /oauth/install → HubSpot consent → /oauth/callback,
// against the HubSpot emulator, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenSecretContext } from '../../backend/src/hubspot/portals.ts';
import { provisionPropertiesJob } from '../../backend/src/accounts/provision-properties-job.ts';
import { issueInstallState, STATE_TTL_MS } from '../../backend/src/install/oauth-state.ts';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../backend/src/install/scopes.ts';
import { engines } from '../support/databases.ts';
import { eventually, installThroughBrowser, jobsSettled, startWorld, type World } from './harness.ts';

async function portalRows(world: World) {
  return world.ctx.db('portals').select('*').orderBy('portal_id');
}

describe.each(engines())('HubSpot install on %s', (engine) => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(engine);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('GET /oauth/install redirects to HubSpot with the client id, every scope, the callback URL and a state', async () => {
    const res = await fetch(`${world.backend.url}/oauth/install`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get('location')!);
    expect(`${url.origin}${url.pathname}`).toBe(`${world.hubspot.appBaseUrl}/oauth/authorize`);
    expect(url.searchParams.get('client_id')).toBe(world.hubspot.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${world.backend.config.PUBLIC_BASE_URL}/oauth/callback`);
    expect(url.searchParams.get('scope')!.split(' ')).toEqual([...REQUIRED_SCOPES]);
    // The app asks for no optional scopes, so the parameter is absent.
    expect(OPTIONAL_SCOPES).toEqual([]);
    expect(url.searchParams.has('optional_scope')).toBe(false);
    expect(url.searchParams.get('state')!.length).toBeGreaterThan(20);
    // Scopes are separated by %20 as in HubSpot's examples, not '+'.
    expect(res.headers.get('location')).toContain('scope=oauth%20crm.objects.contacts.read');
  });

  it('installs two portals side by side: tokens sealed, status installed, properties provisioned, a bilingual success page', async () => {
    const a = world.hubspot.createPortal();
    const b = world.hubspot.createPortal();
    const pageA = await installThroughBrowser(world, a.portalId);
    const pageB = await installThroughBrowser(world, b.portalId, { acceptLanguage: 'ja,en;q=0.5' });

    expect(pageA.status).toBe(200);
    expect(pageA.html).toContain('LINE Connector is installed');
    expect(pageA.html).toContain('LINE Connector をインストールしました');
    expect(pageA.html).toContain(`${world.hubspot.appBaseUrl}/connected-apps/${a.portalId}/installed`);
    expect(pageA.html.indexOf('lang="en"')).toBeLessThan(pageA.html.indexOf('lang="ja"'));
    expect(pageB.html).toContain('<html lang="ja">');
    expect(pageB.html.indexOf('<section lang="ja"')).toBeLessThan(pageB.html.indexOf('<section lang="en"'));

    const rows = await portalRows(world);
    expect(rows.map((r) => Number(r.portal_id))).toEqual([a.portalId, b.portalId]);
    for (const row of rows) {
      const portalId = Number(row.portal_id);
      expect(row.status).toBe('installed');
      expect(row.hub_domain).toContain(String(portalId));
      expect(row.scopes.split(' ')).toEqual(expect.arrayContaining([...REQUIRED_SCOPES, ...OPTIONAL_SCOPES]));
      const access = world.ctx.secrets.open(row.access_token, tokenSecretContext(portalId, 'access_token'));
      const refresh = world.ctx.secrets.open(row.refresh_token, tokenSecretContext(portalId, 'refresh_token'));
      // The stored values are ciphertexts of tokens the emulator issued for this very portal.
      expect(row.access_token).not.toContain(access);
      expect(world.hubspot.state.accessTokens.get(access)?.portalId).toBe(portalId);
      expect(world.hubspot.state.refreshTokens.get(refresh)?.portalId).toBe(portalId);
      expect(Number(row.access_token_expires_at)).toBeGreaterThan(Date.now() + 25 * 60_000);
    }
    expect(world.hubspot.calls.filter((c) => c.path === '/oauth/v3/token').length).toBe(2);
    expect(world.hubspot.calls.some((c) => c.path === '/oauth/v1/token')).toBe(false);

    await jobsSettled(world.ctx, provisionPropertiesJob.type);
    for (const portal of [a, b]) {
      expect(portal.groups('contacts').some((g) => g.name === 'line')).toBe(true);
      expect(portal.properties('contacts').filter((p) => p.groupName === 'line').map((p) => p.name)).toContain('line_user_id');
    }

    const log = world.backend.logText();
    for (const row of rows) {
      const portalId = Number(row.portal_id);
      expect(log).not.toContain(world.ctx.secrets.open(row.access_token, tokenSecretContext(portalId, 'access_token')));
      expect(log).not.toContain(world.ctx.secrets.open(row.refresh_token, tokenSecretContext(portalId, 'refresh_token')));
    }
    expect(log).not.toContain(world.hubspot.clientSecret);
    expect(log).not.toContain(new URL(pageA.callbackUrl).searchParams.get('code')!);
  });

  it('denied consent: a clear page, nothing stored', async () => {
    const portal = world.hubspot.createPortal();
    const before = await portalRows(world);
    const page = await installThroughBrowser(world, portal.portalId, { consent: false });
    expect(page.status).toBe(400);
    expect(page.html).toContain('Installation cancelled');
    expect(page.html).toContain('インストールはキャンセルされました');
    expect(await portalRows(world)).toEqual(before);
  });

  it('a forged, expired or replayed state: a clear page, nothing stored, no token exchange', async () => {
    const portal = world.hubspot.createPortal();
    const before = await portalRows(world);
    const exchanges = () => world.hubspot.calls.filter((c) => c.path === '/oauth/v3/token').length;
    const exchangesBefore = exchanges();

    const forged = await fetch(`${world.backend.url}/oauth/callback?code=abc&state=${encodeURIComponent('v1:deadbeef:AAAA:BBBB:CCCC')}`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('This install link is invalid or has expired');

    const expired = issueInstallState(world.ctx, Date.now() - STATE_TTL_MS - 1000);
    const late = await fetch(`${world.backend.url}/oauth/callback?code=abc&state=${encodeURIComponent(expired)}`);
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('インストールリンクが無効か、有効期限が切れています');

    expect(exchanges()).toBe(exchangesBefore);
    expect(await portalRows(world)).toEqual(before);

    // Replay: the same state a second time, even with a fresh code, is refused.
    const first = await installThroughBrowser(world, portal.portalId);
    expect(first.status).toBe(200);
    const afterFirst = await portalRows(world);
    const state = new URL(first.callbackUrl).searchParams.get('state')!;
    world.hubspot.authorize.next({ portalId: portal.portalId });
    const again = await fetch(first.authorizeUrl, { redirect: 'manual' });
    const replayUrl = new URL(again.headers.get('location')!);
    expect(replayUrl.searchParams.get('state')).toBe(state);
    const replay = await fetch(replayUrl);
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('This install link was already used');
    expect(await portalRows(world)).toEqual(afterFirst);
  });

  it('a code HubSpot refuses, or HubSpot failing, ends on a clear page with nothing stored', async () => {
    const portal = world.hubspot.createPortal();
    const before = await portalRows(world);

    const start = await fetch(`${world.backend.url}/oauth/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const refused = await fetch(`${world.backend.url}/oauth/callback?code=not-a-code&state=${encodeURIComponent(state)}`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('HubSpot did not accept the installation');

    world.hubspot.faults.inject({ path: '/oauth/v3/token', status: 503, times: 1 });
    const down = await installThroughBrowser(world, portal.portalId);
    expect(down.status).toBe(502);
    expect(down.html).toContain('HubSpot could not be reached');

    world.hubspot.faults.inject({ path: '/oauth/v3/token/introspect', status: 500, times: 1 });
    const introspectDown = await installThroughBrowser(world, portal.portalId);
    expect(introspectDown.status).toBe(502);

    const incomplete = await fetch(`${world.backend.url}/oauth/callback?state=x`);
    expect(incomplete.status).toBe(400);
    expect(await incomplete.text()).toContain('This install link is incomplete');
    expect(await portalRows(world)).toEqual(before);
  });

  it('reinstalling replaces the tokens, sets the status back to installed and resumes the paused jobs', async () => {
    const portal = world.hubspot.createPortal();
    await installThroughBrowser(world, portal.portalId);
    const first = await world.ctx.db('portals').where({ portal_id: portal.portalId }).first();
    await world.ctx.db('portals').where({ portal_id: portal.portalId }).update({ status: 'needs_reinstall', status_changed_at: Date.now() });
    await world.ctx.queue.pausePortal(portal.portalId, Date.now() + 86_400_000, 'test');

    const page = await installThroughBrowser(world, portal.portalId);
    expect(page.status).toBe(200);
    const second = await world.ctx.db('portals').where({ portal_id: portal.portalId }).first();
    expect(second.status).toBe('installed');
    expect(second.status_reason).toBeNull();
    expect(Number(second.installed_at)).toBe(Number(first.installed_at));
    const token = (row: { access_token: string }) => world.ctx.secrets.open(row.access_token, tokenSecretContext(portal.portalId, 'access_token'));
    expect(token(second)).not.toBe(token(first));
    expect(await world.ctx.db('job_pauses').where({ portal_id: portal.portalId }).first()).toBeUndefined();
    await eventually(async () => (await world.ctx.db('jobs').where({ portal_id: portal.portalId, type: provisionPropertiesJob.type, state: 'done' }).first()) ?? false, 'provisioning after reinstall');
  });
});
