// A workflow step that names a message template (input field `template`): it sends the template's
// messages, a template deleted after the step was saved ends the execution `failed` saying so, and the
// editor's optionsUrl lists the portal's templates by name and first message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/inbound-world.ts';
import { installPortal } from '../support/installed-portal.ts';
import { startWorkflowWorld, type Friend, type WorkflowWorld } from '../support/workflow-world.ts';

let w: WorkflowWorld;
let friend: Friend;
beforeAll(async () => {
  w = await startWorkflowWorld();
  [friend] = await w.addFriends(1);
});
afterAll(async () => w?.close());

const answerOf = (e: { attempts: Array<{ body: unknown }> }) => e.attempts.at(-1)!.body as { outputFields: Record<string, string> };
const completion = (callbackId: string) => w.hubspot.portal(w.portalId).callbacksCompleted().filter((c) => c.callbackId === callbackId);
const received = () => w.line.received(w.account.channel.channelId, friend.lineUserId);

async function saveTemplate(name: string, messages: object[], portalId = w.portalId): Promise<number> {
  const res = await w.hubspotFetch('/api/templates', { portalId, body: { name, messages } });
  expect(res.status).toBe(201);
  return res.body.template.id;
}

const options = (o: { inputFieldName: string; q?: string; portalId?: number }) =>
  w.hubspot.fieldOptions(w.optionsUrl, { portalId: o.portalId ?? w.portalId, inputFieldName: o.inputFieldName, q: o.q, inputFields: { lineAccount: String(w.account.id) } });

const sticker = { type: 'sticker', packageId: '446', stickerId: '1988' };

describe('a step with a message template', () => {
  it('sends the template\'s messages, not the step\'s own', async () => {
    const id = await saveTemplate('Thanks', [{ type: 'text', text: 'Thank you for your visit' }, sticker]);
    const before = received().length;
    const execution = await w.execute(friend.contactId, { lineAccount: String(w.account.id), template: String(id), message_1: 'not this one' });
    expect(answerOf(execution).outputFields.hs_execution_state).toBe('BLOCK');
    await waitUntil(() => completion(execution.callbackId).length > 0, 'the execution completed');
    expect(completion(execution.callbackId)[0].outputFields).toMatchObject({ line_delivery: 'sent', line_error: '' });
    const deliveries = received().slice(before);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].messages).toEqual([{ type: 'text', text: 'Thank you for your visit' }, sticker]);
  });

  it('ends failed, saying the template was deleted, when it was deleted after the step was saved; LINE is not called', async () => {
    const id = await saveTemplate('Spring sale', [{ type: 'text', text: 'Spring sale starts today' }]);
    expect((await w.hubspotFetch(`/api/templates/${id}`, { portalId: w.portalId, method: 'DELETE' })).status).toBe(204);
    const before = received().length;
    const execution = await w.execute(friend.contactId, { template: String(id) });
    expect(answerOf(execution).outputFields).toEqual({
      line_delivery: 'failed',
      line_error: `The message template ${id} of this step was deleted; choose another template or write the messages in the step`,
      hs_execution_state: 'SUCCESS',
    });
    await w.idle();
    expect(received().length).toBe(before);
  });

  it('never sends another portal\'s template: its id is a deleted template for this portal', async () => {
    const other = (await installPortal(w.ctx, w.hubspot)).portalId;
    const foreign = await saveTemplate('Theirs', [{ type: 'text', text: 'not for you' }], other);
    const execution = await w.execute(friend.contactId, { template: String(foreign) });
    expect(answerOf(execution).outputFields).toMatchObject({ line_delivery: 'failed', line_error: expect.stringContaining('was deleted') });
  });
});

describe('optionsUrl of the template field', () => {
  it('lists the portal\'s templates with the name and the first message, searchable', async () => {
    const welcome = await saveTemplate('Welcome', [{ type: 'text', text: 'Hello {{contact.firstname | default: "there"}}!\nWelcome.' }, sticker]);
    const coupon = await saveTemplate('Coupon', [{ type: 'flex', altText: 'Your coupon', contents: { type: 'bubble' } }]);
    const all = await options({ inputFieldName: 'template' });
    expect(all.status).toBe(200);
    expect(all.searchable).toBe(true);
    expect(all.options).toEqual(expect.arrayContaining([
      { value: String(welcome), label: 'Welcome: Hello {{contact.firstname | default: "there"}}! Welcome.', description: '2 messages' },
      { value: String(coupon), label: 'Coupon: Your coupon', description: '1 message' },
    ]));
    const found = await options({ inputFieldName: 'template', q: 'COUPON' });
    expect(found.options.map((o) => o.value)).toEqual([String(coupon)]);
    const byText = await options({ inputFieldName: 'template', q: 'welcome.' });
    expect(byText.options.map((o) => o.value)).toEqual([String(welcome)]);
  });

  it('shows no template of another portal, and refuses a field without options (400)', async () => {
    const other = (await installPortal(w.ctx, w.hubspot)).portalId;
    expect((await options({ inputFieldName: 'template', portalId: other })).options).toEqual([]);
    expect((await options({ inputFieldName: 'message_1' })).status).toBe(400);
    expect((await options({ inputFieldName: 'constructor' })).status).toBe(400);
  });
});
