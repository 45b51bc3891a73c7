// What members post in a group (images, video, audio, files) is downloaded from LINE's content API as 1:1
// media is (video waited for while LINE prepares it), kept, and shown by the company's group chat through
// the backend's signed media URLs; an unsent post's content goes; content LINE no longer has shows no link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionPortalProperties } from '../../backend/src/accounts/provision-properties-job.ts';
import type { GroupChatMessage } from '../../src/app/cards/group/types.ts';
import { startWorkflowWorld, type WorkflowWorld } from '../support/workflow-world.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let w: WorkflowWorld;
beforeAll(async () => {
  w = await startWorkflowWorld();
  await provisionPortalProperties(w.ctx, w.portalId);
});
afterAll(async () => w?.close());

const channelId = () => w.account.channel.channelId;
const lineIdOf = (r: { events: Array<Record<string, unknown>> }) => String((r.events[0].message as { id: string }).id);

async function history(companyId: number): Promise<GroupChatMessage[]> {
  const answer = await w.hubspotFetch(`/api/companies/${companyId}/messages?accountId=${w.account.id}`, { portalId: w.portalId });
  expect(answer.status).toBe(200);
  return answer.body.messages;
}

const urlOf = (m: GroupChatMessage | undefined): string | null => {
  const content = m?.content as { url?: string | null } | undefined;
  return content?.url ?? null;
};

describe('media members post in a group', () => {
  it('is downloaded as 1:1 media is and shown by the group chat through signed media URLs', async () => {
    const group = await w.addLinkedGroup({ members: 2 });
    const [aiko, ben] = group.memberIds;
    const inGroup = { groupId: group.groupId };
    await w.line.sendImage(channelId(), aiko, { bytes: PNG, contentType: 'image/png', ...inGroup });
    const video = w.line.events.video(channelId(), ben, inGroup);
    w.line.setContent(lineIdOf({ events: [video] }), { bytes: Buffer.from('video-bytes'), contentType: 'video/mp4', transcodingFor: 2, channelId: channelId() });
    await w.line.deliver(channelId(), [video]);
    await w.line.sendFile(channelId(), aiko, '見積書.pdf', Buffer.from('%PDF-1.4 quote'), { contentType: 'application/pdf', ...inGroup });
    await w.idle();

    const [image, film, file] = await history(group.companyId);
    expect(image.content).toMatchObject({ kind: 'image', url: expect.stringMatching(`^${w.backend.config.PUBLIC_BASE_URL}/media/${w.portalId}\\.g\\d+\\.`) });
    const picture = await fetch(urlOf(image)!);
    expect(picture.status).toBe(200);
    expect(picture.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await picture.arrayBuffer()).equals(PNG)).toBe(true);
    expect(await (await fetch(urlOf(film)!)).text()).toBe('video-bytes');
    const download = await fetch(urlOf(file)!);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('見積書.pdf')}`);
    // The 1:1 log numbers its messages apart: the same token without its group mark is refused.
    expect((await fetch(urlOf(image)!.replace(`/media/${w.portalId}.g`, `/media/${w.portalId}.`))).status).toBe(404);
  });

  it('drops the content of a post its member unsends', async () => {
    const group = await w.addLinkedGroup({ members: 1 });
    const posted = await w.line.sendImage(channelId(), group.memberIds[0], { bytes: PNG, contentType: 'image/png', groupId: group.groupId });
    await w.idle();
    const url = urlOf((await history(group.companyId))[0])!;
    expect((await fetch(url)).status).toBe(200);
    await w.line.unsend(channelId(), group.memberIds[0], lineIdOf(posted), { groupId: group.groupId });
    await w.idle();
    expect((await fetch(url)).status).toBe(404);
    expect(urlOf((await history(group.companyId))[0])).toBeNull();
  });

  it('shows no link for content LINE no longer has, without failing the download job', async () => {
    const group = await w.addLinkedGroup({ members: 1 });
    const gone = w.line.events.image(channelId(), group.memberIds[0], { groupId: group.groupId });
    w.line.faults.inject({ path: `/v2/bot/message/${lineIdOf({ events: [gone] })}/content`, status: 404, times: 1 });
    await w.line.deliver(channelId(), [gone]);
    await w.idle();
    expect((await history(group.companyId))[0].content).toMatchObject({ kind: 'image', url: null });
    expect(await w.ctx.db('jobs').where({ type: 'media.fetch', state: 'dead' }).first()).toBeUndefined();
  });
});
