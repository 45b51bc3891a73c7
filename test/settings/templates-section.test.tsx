// The settings page's "Message templates" section as a user works with it: the real UI components,
// hubspot.fetch signed by the HubSpot emulator, the real backend and its /api/templates.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Alert, Button, EmptyState, Heading, Image, Input, LoadingButton, Select, Tag, Text, TextArea, Tile } from '@hubspot/ui-extensions';
import { installPortal } from '../support/installed-portal.ts';
import { startWorld, type World } from '../accounts/world.ts';
import { renderSettingsPage, type PageHarness } from './page-harness.tsx';

const WAIT = { timeoutInMs: 20_000 };
const sticker = { type: 'sticker', packageId: '446', stickerId: '1988' };

const typeName = (page: PageHarness, name: string) => page.findByTestId(Input, 'template-name').trigger('onChange', name as never);
const typeMessage = (page: PageHarness, i: number, value: string) => page.findByTestId(TextArea, `template-message-${i}`).trigger('onChange', value as never);
const chooseKind = (page: PageHarness, i: number, kind: 'text' | 'json') => page.findByTestId(Select, `template-kind-${i}`).trigger('onChange', kind as never);
const press = (page: PageHarness, testId: string) => page.findByTestId(Button, testId).trigger('onClick');
const save = (page: PageHarness) => page.findByTestId(LoadingButton, 'template-save').trigger('onClick');
const headings = (page: PageHarness) => page.findAll(Heading).map((h) => h.text);

describe('message templates on the settings page', () => {
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

  async function openSection(o: { locale?: string; user?: { userId: number; userEmail: string } } = {}) {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const page = renderSettingsPage(w, { portalId, ...o });
    await page.waitFor(() => expect(page.findByTestId(EmptyState, 'templates-empty')).toBeDefined(), WAIT);
    return { page, portalId };
  }

  it('creates a template of text with a token and a sticker, previewed as LINE shows them, as a user who is not an admin', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const rep = w.hubspot.portal(portalId).addUser({ email: 'rep@example.com' });
    const page = renderSettingsPage(w, { portalId, user: { userId: rep.id, userEmail: rep.email } });
    await page.waitFor(() => expect(page.findByTestId(EmptyState, 'templates-empty').props.title).toBe('No message templates yet'), WAIT);
    press(page, 'template-new');
    typeName(page, 'Welcome');
    typeMessage(page, 0, 'Hello {{contact.firstname | default: "there"}}, welcome!');
    press(page, 'template-add-message');
    chooseKind(page, 1, 'json');
    typeMessage(page, 1, JSON.stringify(sticker));
    await page.waitFor(() => expect(page.findByTestId(Image, 'template-preview-1').props.src).toBe('https://stickershop.line-scdn.net/stickershop/v1/sticker/1988/android/sticker.png'));
    expect(page.findAll(Tag, { testId: 'template-preview-0-token' }).map((t) => t.text)).toEqual(['{{contact.firstname | default: "there"}}']);
    save(page);

    await page.waitFor(() => expect(page.maybeFindByTestId(Tile, 'template-editor-new')).toBeNull(), WAIT);
    await page.waitFor(() => expect(headings(page)).toContain('Welcome'), WAIT);
    expect(page.addAlert).toHaveBeenCalledWith({ message: 'Template "Welcome" saved.', type: 'success' });
    const stored = await w.call(portalId, 'GET', '/api/templates');
    expect(stored.body.templates).toEqual([expect.objectContaining({ name: 'Welcome', messages: [{ type: 'text', text: 'Hello {{contact.firstname | default: "there"}}, welcome!' }, sticker] })]);
    const id = stored.body.templates[0].id;
    expect(page.findByTestId(Image, `template-preview-${id}-1`).props.src).toContain('/sticker/1988/');
    expect(page.findAll(Tag, { testId: `template-preview-${id}-0-token` })).toHaveLength(1);
  });

  it('shows LINE\'s rules from the backend next to the message that breaks them, and bad JSON before asking the backend', async () => {
    const { page, portalId } = await openSection();
    press(page, 'template-new');
    typeName(page, 'Coupon');
    chooseKind(page, 0, 'json');
    typeMessage(page, 0, '{"type": "image",');
    save(page);
    await page.waitFor(() => expect(page.findByTestId(TextArea, 'template-message-0').props.validationMessage).toMatch(/^Not valid LINE JSON: /));
    expect(page.findAll(Text).map((t) => t.text)).toContain('This message is not valid JSON yet.');

    typeMessage(page, 0, JSON.stringify({ type: 'image', originalContentUrl: 'http://example.com/coupon.png', previewImageUrl: 'https://example.com/coupon.png' }));
    typeName(page, '   ');
    save(page);
    await page.waitFor(() => expect(page.findByTestId(Alert, 'template-error').props.title).toBe('LINE would not accept this template: see the fields marked below.'), WAIT);
    expect(page.findByTestId(TextArea, 'template-message-0').props.validationMessage).toBe('originalContentUrl must be an https:// URL of at most 2000 characters');
    expect(page.findByTestId(Input, 'template-name').props.error).toBe(true);
    expect((await w.call(portalId, 'GET', '/api/templates')).body.templates).toEqual([]);
  });

  it('edits and deletes a template, after confirming, in Japanese for a Japanese user', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const created = await w.call(portalId, 'POST', '/api/templates', { name: 'お礼', messages: [{ type: 'text', text: 'ありがとうございました' }] });
    const id = created.body.template.id;
    const page = renderSettingsPage(w, { portalId, locale: 'ja-JP' });
    await page.waitFor(() => expect(headings(page)).toContain('お礼'), WAIT);
    expect(headings(page)).toContain('メッセージテンプレート');

    press(page, `template-edit-${id}`);
    expect(page.findByTestId(TextArea, 'template-message-0').props.value).toBe('ありがとうございました');
    typeName(page, 'ご来店のお礼');
    save(page);
    await page.waitFor(() => expect(headings(page)).toContain('ご来店のお礼'), WAIT);
    expect((await w.call(portalId, 'GET', '/api/templates')).body.templates[0]).toMatchObject({ id, name: 'ご来店のお礼' });

    press(page, `template-delete-${id}`);
    expect(page.findByTestId(Alert, `template-delete-confirm-${id}`).props.title).toContain('「ご来店のお礼」を削除しますか');
    page.findByTestId(LoadingButton, `template-delete-yes-${id}`).trigger('onClick');
    await page.waitFor(() => expect(page.findByTestId(EmptyState, 'templates-empty').props.title).toBe('メッセージテンプレートはまだありません'), WAIT);
    expect((await w.call(portalId, 'GET', '/api/templates')).body.templates).toEqual([]);
  });
});
