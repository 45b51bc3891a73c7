// Default bytes for media that simulated users send: small but real-format files, so content
// downloads can be checked for type and size.

/** A valid 1×1 transparent PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** An ISO BMFF file with an `ftyp` box: enough for sniffers to recognise MP4 or M4A. */
function isoMedia(brand: string): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftyp', 4, 'latin1');
  ftyp.write(brand, 8, 'latin1');
  ftyp.writeUInt32BE(0, 12);
  ftyp.write('isom', 16, 'latin1');
  ftyp.write(brand, 20, 'latin1');
  const free = Buffer.alloc(8);
  free.writeUInt32BE(8, 0);
  free.write('free', 4, 'latin1');
  return Buffer.concat([ftyp, free]);
}

export const TINY_MP4 = isoMedia('mp42');
export const TINY_M4A = isoMedia('M4A ');

export const DEFAULT_MEDIA = {
  image: { bytes: TINY_PNG, contentType: 'image/png' },
  video: { bytes: TINY_MP4, contentType: 'video/mp4' },
  audio: { bytes: TINY_M4A, contentType: 'audio/x-m4a' },
} as const;
