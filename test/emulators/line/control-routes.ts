// Control routes (under /_emulator, loopback only) to play LINE users with curl or a web page: create a
// user, follow or block the account, write to it (text, a sticker, a picture), and read what the account
// sent to the user. Each action is delivered to the channel's webhook URL, signed, exactly as the
// in-process helpers do.
import express, { Router, type Request, type Response } from 'express';
import { controlCallersOnly } from '../loopback-only.ts';
import { groupControlRoutes } from './group-control-routes.ts';
import type { LineEmulator } from './index.ts';
import { PICTURE_RULE, pictureBytes } from './picture-upload.ts';
import type { InteractionResult } from './users.ts';

function webhookOutcome(result: InteractionResult) {
  return { webhookStatus: result.status, events: result.events };
}

export function lineControlRoutes(emulator: LineEmulator): Router {
  const r = Router();
  // Room for a 1 MB picture in base64.
  r.use(controlCallersOnly, express.json({ limit: '2mb' }));

  const known = (req: Request, res: Response): { channelId: string; userId?: string } | undefined => {
    const channelId = String(req.params.channelId);
    try {
      emulator.channel(channelId);
    } catch {
      res.status(404).json({ message: `no channel ${channelId}` });
      return undefined;
    }
    if (req.params.userId === undefined) return { channelId };
    const userId = String(req.params.userId);
    if (!/^U[0-9a-f]{32}$/.test(userId)) {
      res.status(400).json({ message: 'userId must be U followed by 32 hex digits' });
      return undefined;
    }
    return { channelId, userId };
  };
  const deliver = async (res: Response, action: () => Promise<InteractionResult>) => {
    try {
      res.json(webhookOutcome(await action()));
    } catch (error) {
      res.status(409).json({ message: error instanceof Error ? error.message : String(error) });
    }
  };

  r.post('/channels/:channelId/users', (req, res) => {
    if (!known(req, res)) return;
    const displayName = req.body?.displayName;
    if (displayName !== undefined && (typeof displayName !== 'string' || !displayName.trim() || displayName.length > 100)) {
      return void res.status(400).json({ message: 'displayName must be a non-empty string of at most 100 characters' });
    }
    const user = emulator.createUser(displayName ? { displayName } : {});
    res.status(201).json({ userId: user.userId, displayName: user.displayName });
  });

  r.post('/channels/:channelId/users/:userId/follow', async (req, res) => {
    const at = known(req, res);
    if (at) await deliver(res, () => emulator.follow(at.channelId, at.userId!));
  });

  r.post('/channels/:channelId/users/:userId/block', async (req, res) => {
    const at = known(req, res);
    if (at) await deliver(res, () => emulator.unfollow(at.channelId, at.userId!));
  });

  r.post('/channels/:channelId/users/:userId/messages', async (req, res) => {
    const at = known(req, res);
    if (!at) return;
    const { text, sticker, image } = req.body ?? {};
    if (typeof text === 'string' && text.length > 0 && text.length <= 5000) return deliver(res, () => emulator.sendText(at.channelId, at.userId!, text));
    if (sticker && typeof sticker.packageId === 'string' && typeof sticker.stickerId === 'string') {
      return deliver(res, () => emulator.sendSticker(at.channelId, at.userId!, sticker.packageId, sticker.stickerId));
    }
    if (image !== undefined) {
      const picture = pictureBytes(image);
      if (picture) return deliver(res, () => emulator.sendImage(at.channelId, at.userId!, picture));
      return void res.status(400).json({ message: `image must be ${PICTURE_RULE}` });
    }
    res.status(400).json({ message: 'send {"text": "1 to 5000 characters"}, {"sticker": {"packageId": "...", "stickerId": "..."}} or {"image": {"contentType": "image/png", "base64": "..."}}' });
  });

  r.use(groupControlRoutes(emulator));

  r.get('/channels/:channelId/users/:userId/received', (req, res) => {
    const at = known(req, res);
    if (at) res.json({ friendship: emulator.friendship(at.channelId, at.userId!), received: emulator.received(at.channelId, at.userId!) });
  });

  return r;
}
