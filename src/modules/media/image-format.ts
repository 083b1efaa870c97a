/** The image formats an upload may be, and what each is stored and served as. */
export const IMAGE_FORMATS = {
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  png: { contentType: 'image/png', extension: 'png' },
  webp: { contentType: 'image/webp', extension: 'webp' },
} as const;

export type ImageFormat = keyof typeof IMAGE_FORMATS;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Formats recognised only to name them in the refusal ("GIF is not accepted"). */
const REFUSED: { name: string; magic: (b: Buffer) => boolean }[] = [
  { name: 'GIF', magic: (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a') },
  { name: 'BMP', magic: (b) => ascii(b, 0, 'BM') && b.length > 14 },
  {
    name: 'TIFF',
    magic: (b) => ascii(b, 0, 'II*\u0000') || ascii(b, 0, 'MM\u0000*'),
  },
  { name: 'HEIC/AVIF', magic: (b) => ascii(b, 4, 'ftyp') },
  { name: 'SVG', magic: (b) => /^\s*(<\?xml|<svg)/i.test(b.subarray(0, 256).toString('latin1')) },
  { name: 'PDF', magic: (b) => ascii(b, 0, '%PDF-') },
];

function ascii(b: Buffer, at: number, text: string): boolean {
  return b.length >= at + text.length && b.toString('latin1', at, at + text.length) === text;
}

/**
 * What the bytes are, from their signature alone (never the file name or the declared type):
 * JPEG starts `FF D8 FF`, PNG with its 8-byte signature, WebP as a RIFF container of type
 * `WEBP`. `{ refused }` names a known image format that is not accepted; `undefined` is anything
 * else (text, an archive, nothing).
 */
export function sniffImageFormat(
  b: Buffer,
): { format: ImageFormat } | { refused: string } | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { format: 'jpeg' };
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return { format: 'png' };
  if (b.length >= 12 && ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return { format: 'webp' };
  const known = REFUSED.find((f) => f.magic(b));
  return known ? { refused: known.name } : undefined;
}
