import { crc32 } from 'node:zlib';

import sharp from 'sharp';

import type { DomainError } from '../../common/errors/domain-error';
import { ImageProcessor, MAX_INPUT_PIXELS } from './image-processor';

/** A real PNG whose header claims `width`×`height` (IHDR rewritten, its CRC made right again). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } })
    .png()
    .toBuffer();
  // signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), …, CRC after 13 data bytes
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

const fieldCode = (e: unknown) =>
  ((e as DomainError).details?.errors as { field: string; code: string }[])[0];

describe('ImageProcessor', () => {
  const images = new ImageProcessor();

  it('refuses a file whose header claims more than MAX_INPUT_PIXELS, before decoding it', async () => {
    const bomb = await pngClaiming(10_000, 10_000);
    expect(10_000 * 10_000).toBeGreaterThan(MAX_INPUT_PIXELS);
    const err = await images.prepare(bomb).catch((e: unknown) => e);
    expect(fieldCode(err)).toMatchObject({ field: 'file', code: 'IMAGE_TOO_LARGE' });
    expect((err as DomainError).message).toMatch(/10000×10000 pixels; at most 50 megapixels/);
  });

  it('refuses a header that lies about its pixels as corrupt (it does not decode)', async () => {
    const err = await images.prepare(await pngClaiming(4000, 3000)).catch((e: unknown) => e);
    expect(fieldCode(err)).toMatchObject({ field: 'file', code: 'CORRUPT_IMAGE' });
  });

  it('encodes the same input to the same bytes (what makes re-uploads idempotent)', async () => {
    const jpeg = await sharp({
      create: { width: 90, height: 60, channels: 3, background: '#a52' },
    })
      .jpeg()
      .toBuffer();
    const a = await images.prepare(jpeg);
    const b = await images.prepare(Buffer.from(jpeg));
    expect(a.image.bytes.equals(b.image.bytes)).toBe(true);
    expect(a.thumbnail.bytes.equals(b.thumbnail.bytes)).toBe(true);
    expect(a.thumbnail).toMatchObject({ format: 'webp', width: 90, height: 60 });
  });
});
