// A picture a person picks from a file dialog to "send" through the control routes: PNG or JPEG, told
// apart by their first bytes, at most 1 MB (what the backend's chat panel can show).
const PICTURE_SIGNATURES: Record<string, Buffer> = {
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]),
};
const MAX_PICTURE_BYTES = 1024 * 1024;

export const PICTURE_RULE = '{"contentType": "image/png" or "image/jpeg", "base64": "..."}: a PNG or JPEG of at most 1 MB';

/** The picture's bytes and type, or undefined when it is not one. */
export function pictureBytes(image: unknown): { bytes: Buffer; contentType: string } | undefined {
  const { contentType, base64 } = (image ?? {}) as { contentType?: unknown; base64?: unknown };
  const signature = typeof contentType === 'string' ? PICTURE_SIGNATURES[contentType] : undefined;
  if (!signature || typeof base64 !== 'string') return undefined;
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_PICTURE_BYTES || !bytes.subarray(0, signature.length).equals(signature)) return undefined;
  return { bytes, contentType: contentType as string };
}
