// Which content types LINE may return for each message type. Anything else is refused, so what the
// chat panel shows as an image (or plays as video/audio) is what the message type says it is.

export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;

const EXPECTED: Record<string, RegExp> = {
  image: /^image\/(jpeg|png|gif|webp|heic|heif|bmp)$/,
  video: /^video\/[a-z0-9.+-]+$/,
  audio: /^audio\/[a-z0-9.+-]+$/,
  // Files are whatever the user sent; they are only ever served as downloads.
  file: /^[a-z]+\/[a-z0-9.+-]+$/,
};

export function bareContentType(header: string | null): string {
  return (header ?? 'application/octet-stream').split(';')[0].trim().toLowerCase();
}

export function contentTypeFits(messageType: string, contentType: string): boolean {
  return EXPECTED[messageType]?.test(contentType) ?? false;
}
