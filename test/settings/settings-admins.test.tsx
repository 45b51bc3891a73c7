// Who may change the settings, as the page shows it: a user who is no admin is told who can, in their
// language; a super admin chooses which roles may change the settings too.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Alert, LoadingButton, Text, Toggle } from '@hubspot/ui-extensions';
import type { Portal, PortalUser } from '../emulators/hubspot/index.ts';
import { installPortal } from '../support/installed-portal.ts';
import { startWorld, type World } from '../accounts/world.ts';
import { renderSettingsPage } from './page-harness.tsx';

const WAIT = { timeoutInMs: 20_000 };
const as = (user: PortalUser) => ({ userId: user.id, userEmail: user.email });

describe('settings page: who may change the settings', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('sqlite');
  });
  afterAll(async () => {
    await w?.stop();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  async function portalWithAccount(): Promise<{ portal: Portal; accountId: number }> {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const { account } = await w.connect(portalId, w.newChannel({ displayName: 'Sapporo Store' }).form);
    return { portal: w.hubspot.portal(portalId), accountId: account.id };
  }

  it('tells a user who is no admin who can change the settings, in English and in Japanese', async () => {
    const { portal, accountId } = await portalWithAccount();
    const role = portal.addRole({ name: 'Marketing' });
    const rep = portal.addUser({ email: 'rep@example.com' });
    const expected = {
      'en-US': 'Only a super admin of this HubSpot account, or a user with a role allowed under "Who can change these settings", can change the LINE settings. Ask one of them to do it.',
      'ja-JP': 'LINE の設定を変更できるのは、この HubSpot アカウントのスーパー管理者、または「この設定を変更できるユーザー」で許可されたロールのユーザーのみです。該当するユーザーに依頼してください。',
    };
    for (const [locale, message] of Object.entries(expected)) {
      const page = renderSettingsPage(w, { portalId: portal.portalId, user: as(rep), locale });
      await page.waitFor(() => page.findByTestId(Toggle, `option-owner-tasks-${accountId}`), WAIT);
      page.findByTestId(Toggle, `option-owner-tasks-${accountId}`).trigger('onChange', false as never);
      page.findByTestId(LoadingButton, `options-save-${accountId}`).trigger('onClick');
      await page.waitFor(() => expect(page.findAll(Alert).map((a) => a.props.title)).toContain(message), WAIT);
      // The roles are shown, but only a super admin may switch them.
      await page.waitFor(() => expect(page.findByTestId(Toggle, `admin-role-${role.id}`).props.readOnly).toBe(true), WAIT);
      expect(page.findAll(LoadingButton, { testId: 'admin-roles-save' })).toHaveLength(0);
      expect(page.findByTestId(Text, 'admin-roles-super-admin-only').text).not.toBe('');
      vi.unstubAllGlobals();
    }
    expect(Boolean((await w.backend.ctx.db('line_accounts').where({ id: accountId }).first()).owner_tasks)).toBe(true);
  });

  it('a super admin allows a role; its users may then change the settings', async () => {
    const { portal, accountId } = await portalWithAccount();
    const managers = portal.addRole({ name: 'LINE managers' });
    const reps = portal.addRole({ name: 'Sales reps' });
    const manager = portal.addUser({ email: 'manager@example.com', roleIds: [managers.id] });

    const adminPage = renderSettingsPage(w, { portalId: portal.portalId });
    await adminPage.waitFor(() => adminPage.findByTestId(Toggle, `admin-role-${managers.id}`), WAIT);
    expect(adminPage.findByTestId(Toggle, `admin-role-${reps.id}`).props).toMatchObject({ label: 'Sales reps', checked: false, readOnly: false });
    adminPage.findByTestId(Toggle, `admin-role-${managers.id}`).trigger('onChange', true as never);
    adminPage.findByTestId(LoadingButton, 'admin-roles-save').trigger('onClick');
    await adminPage.waitFor(() => expect(adminPage.addAlert).toHaveBeenCalledWith({ message: 'Saved.', type: 'success' }), WAIT);
    expect((await w.backend.ctx.db('portals').where({ portal_id: portal.portalId }).first()).admin_role_ids).toBe(managers.id);
    vi.unstubAllGlobals();

    const managerPage = renderSettingsPage(w, { portalId: portal.portalId, user: as(manager) });
    await managerPage.waitFor(() => managerPage.findByTestId(Text, 'admin-roles-super-admin-only'), WAIT);
    expect(managerPage.findByTestId(Toggle, `admin-role-${managers.id}`).props.checked).toBe(true);
    managerPage.findByTestId(Toggle, `option-owner-tasks-${accountId}`).trigger('onChange', false as never);
    managerPage.findByTestId(LoadingButton, `options-save-${accountId}`).trigger('onClick');
    await managerPage.waitFor(() => expect(managerPage.addAlert).toHaveBeenCalledWith({ message: 'Saved.', type: 'success' }), WAIT);
    expect(Boolean((await w.backend.ctx.db('line_accounts').where({ id: accountId }).first()).owner_tasks)).toBe(false);
  });

  it('an install without the users scope is told to reinstall', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot, { scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'] });
    const page = renderSettingsPage(w, { portalId, locale: 'ja-JP' });
    await page.waitFor(
      () => expect(page.findByTestId(Alert, 'admin-roles-error').props.title).toBe('この HubSpot アカウントにアプリを再インストールする必要があります（新しく必要になった権限の付与など）。スーパー管理者に再インストールを依頼してください。'),
      WAIT,
    );
  });
});
