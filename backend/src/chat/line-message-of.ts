// The LINE message a panel's send asks for, 1:1 or group: text and stickers as they are, a file of the
// portal's file manager read with the portal's own token (attachment.ts).
import type { AppContext } from '../context.ts';
import type { LineMessage } from '../line/line-channel.ts';
import { attachmentMessage } from './attachment.ts';
import type { SendInput } from './inputs.ts';

export async function lineMessageOf(ctx: AppContext, portalId: number, input: SendInput): Promise<LineMessage> {
  if ('text' in input) return { type: 'text', text: input.text };
  if ('file' in input) return attachmentMessage(ctx, portalId, input.file.fileId);
  return { type: 'sticker', packageId: input.sticker.packageId, stickerId: input.sticker.stickerId };
}
