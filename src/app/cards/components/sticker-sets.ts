// The stickers the composer offers. LINE lets a bot send only the stickers of its published list
// (developers.line.biz, Messaging API, "Stickers"): a few of its sets that suit talking with customers,
// polite phrases and apologies first, by package id and their documented ranges of sticker ids.
import type { Messages } from '../i18n/messages.ts';

interface StickerSet {
  packageId: string;
  name: keyof Pick<Messages, 'stickerSetPrettyPhrases' | 'stickerSetMakingAmends' | 'stickerSetMoon'>;
  stickerIds: string[];
}

function range(first: number, last: number): string[] {
  return Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
}

export const STICKER_SETS: StickerSet[] = [
  { packageId: '8522', name: 'stickerSetPrettyPhrases', stickerIds: range(16581266, 16581289) },
  { packageId: '6136', name: 'stickerSetMakingAmends', stickerIds: range(10551376, 10551399) },
  { packageId: '446', name: 'stickerSetMoon', stickerIds: range(1988, 2027) },
];

/** LINE's own picture of a sticker, the one received stickers show (its host is in permittedUrls.img). */
export function stickerImageUrl(stickerId: string): string {
  return `https://stickershop.line-scdn.net/stickershop/v1/sticker/${encodeURIComponent(stickerId)}/android/sticker.png`;
}
