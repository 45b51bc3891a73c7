// Control routes (under /_emulator, loopback only) to play a LINE group with curl: create a group of users,
// bring the channel's bot in or have it removed, add and remove members, let a member write, and read what
// the account sent to the group. Each action reaches the channel's webhook URL signed, as in-process helpers do.
import { Router, type Request, type Response } from 'express';
import { isGroupId, isUserId } from './ids.ts';
import type { LineEmulator } from './index.ts';
import { PICTURE_RULE, pictureBytes } from './picture-upload.ts';
import type { InteractionResult } from './users.ts';

const badRequest = (res: Response, message: string) => void res.status(400).json({ message });

function userIdList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.length >= 1 && v.length <= 100 && v.every(isUserId) ? [...new Set(v)] : undefined;
}

export function groupControlRoutes(emulator: LineEmulator): Router {
  const r = Router();

  const knownChannel = (req: Request, res: Response): string | undefined => {
    const channelId = String(req.params.channelId);
    try {
      emulator.channel(channelId);
      return channelId;
    } catch {
      return void res.status(404).json({ message: `no channel ${channelId}` });
    }
  };
  /** The channel and group named by the path (and the user, when the path has one), after answering 404/400 otherwise. */
  const known = (req: Request, res: Response): { channelId: string; groupId: string; userId: string } | undefined => {
    const channelId = knownChannel(req, res);
    if (!channelId) return undefined;
    const groupId = String(req.params.groupId);
    if (!isGroupId(groupId)) return badRequest(res, 'groupId must be C followed by 32 hex digits');
    if (!emulator.group(groupId)) return void res.status(404).json({ message: `no group ${groupId}` });
    const userId = String(req.params.userId ?? '');
    if (req.params.userId !== undefined && !isUserId(userId)) return badRequest(res, 'userId must be U followed by 32 hex digits');
    return { channelId, groupId, userId };
  };
  /** Runs a group action; one the world refuses (the bot is not in the group, an unknown user) answers 409 and sends nothing. */
  const deliver = async (res: Response, action: () => Promise<InteractionResult>) => {
    try {
      const result = await action();
      res.json({ webhookStatus: result.status, events: result.events });
    } catch (error) {
      res.status(409).json({ message: error instanceof Error ? error.message : String(error) });
    }
  };

  r.post('/channels/:channelId/groups', (req, res) => {
    if (!knownChannel(req, res)) return;
    const { groupName, memberUserIds } = req.body ?? {};
    if (groupName !== undefined && (typeof groupName !== 'string' || !groupName.trim() || groupName.length > 100)) {
      return badRequest(res, 'groupName must be a non-empty string of at most 100 characters');
    }
    const members = memberUserIds === undefined ? [] : userIdList(memberUserIds);
    if (!members) return badRequest(res, 'memberUserIds must be a list of 1 to 100 LINE user ids');
    try {
      const group = emulator.createGroup({ groupName, memberUserIds: members });
      res.status(201).json({ groupId: group.groupId, groupName: group.groupName, pictureUrl: group.pictureUrl, memberUserIds: [...group.members] });
    } catch (error) {
      badRequest(res, error instanceof Error ? error.message : String(error));
    }
  });

  r.post('/channels/:channelId/groups/:groupId/join', async (req, res) => {
    const at = known(req, res);
    if (!at) return;
    if (emulator.group(at.groupId)!.bots.has(at.channelId)) return void res.status(409).json({ message: 'the bot is already in the group' });
    await deliver(res, () => emulator.joinGroup(at.channelId, at.groupId));
  });

  r.post('/channels/:channelId/groups/:groupId/leave', async (req, res) => {
    const at = known(req, res);
    if (at) await deliver(res, () => emulator.leaveGroup(at.channelId, at.groupId));
  });

  r.post('/channels/:channelId/groups/:groupId/members', async (req, res) => {
    const at = known(req, res);
    if (!at) return;
    const userIds = userIdList(req.body?.userIds);
    if (!userIds) return badRequest(res, 'send {"userIds": [1 to 100 LINE user ids]}');
    await deliver(res, () => emulator.memberJoined(at.channelId, at.groupId, userIds));
  });

  r.post('/channels/:channelId/groups/:groupId/members/:userId/leave', async (req, res) => {
    const at = known(req, res);
    if (at) await deliver(res, () => emulator.memberLeft(at.channelId, at.groupId, [at.userId]));
  });

  r.post('/channels/:channelId/groups/:groupId/members/:userId/messages', async (req, res) => {
    const at = known(req, res);
    if (!at) return;
    const { text, sticker, image } = req.body ?? {};
    const inGroup = { groupId: at.groupId };
    if (typeof text === 'string' && text.length > 0 && text.length <= 5000) return deliver(res, () => emulator.sendText(at.channelId, at.userId, text, inGroup));
    if (sticker && typeof sticker.packageId === 'string' && typeof sticker.stickerId === 'string') {
      return deliver(res, () => emulator.sendSticker(at.channelId, at.userId, sticker.packageId, sticker.stickerId, inGroup));
    }
    if (image !== undefined) {
      const picture = pictureBytes(image);
      // Its content is then served by the content API under the message's id, as for a 1:1 picture.
      if (picture) return deliver(res, () => emulator.sendImage(at.channelId, at.userId, { ...picture, ...inGroup }));
      return badRequest(res, `image must be ${PICTURE_RULE}`);
    }
    badRequest(res, 'send {"text": "1 to 5000 characters"}, {"sticker": {"packageId": "...", "stickerId": "..."}} or {"image": {"contentType": "image/png", "base64": "..."}}');
  });

  r.get('/channels/:channelId/groups/:groupId/received', (req, res) => {
    const at = known(req, res);
    if (!at) return;
    const group = emulator.group(at.groupId)!;
    res.json({ botInGroup: group.bots.has(at.channelId), memberUserIds: [...group.members], received: emulator.received(at.channelId, at.groupId) });
  });

  return r;
}
