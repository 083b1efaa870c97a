import { Injectable } from '@nestjs/common';
import type sharp from 'sharp';

import { BoundedSlots } from '../../common/concurrency/bounded-slots';
import { DomainError } from '../../common/errors/domain-error';
import { fieldsRefused } from '../../common/errors/validation-errors';
import { ImageFormat, sniffImageFormat } from './image-format';

/** The longest side of a stored image; larger uploads are scaled down to it. */
export const MAX_DIMENSION = 2000;
/** The longest side of a thumbnail (always WebP). */
export const THUMBNAIL_SIZE = 320;
/** Uploads of more pixels are refused before they are decoded (a small file may unpack huge). */
export const MAX_INPUT_PIXELS = 50_000_000;
/** Images decoded at once, and how many may wait; past that 503 with Retry-After. */
export const PROCESSING = { concurrency: 2, queue: 16 };

export interface EncodedImage {
  bytes: Buffer;
  width: number;
  height: number;
  format: ImageFormat;
}

const refuse = (code: string, message: string) =>
  fieldsRefused('BAD_REQUEST', [{ field: 'file', code, message }]);

/** sharp's input options for untrusted files: stop at any decoder warning, bound the pixels. */
const INPUT = {
  failOn: 'warning',
  limitInputPixels: MAX_INPUT_PIXELS,
  autoOrient: true,
} as const satisfies sharp.SharpOptions;

/**
 * Turns an uploaded file into what is stored: the format is recognised by its bytes (never its
 * name or declared type), then sharp decodes it — a file that does not decode cleanly is refused —
 * turns it upright by its EXIF orientation, scales it to fit MAX_DIMENSION, and encodes it again
 * in the same format with no metadata at all (no EXIF, GPS, XMP, IPTC or ICC; colours are
 * converted to sRGB), plus a WebP thumbnail. Only the first frame of an animation is kept.
 */
@Injectable()
export class ImageProcessor {
  private readonly slots = new BoundedSlots(
    PROCESSING.concurrency,
    PROCESSING.queue,
    () =>
      new DomainError(
        'SERVICE_UNAVAILABLE',
        'Too many images are being processed; try again in a moment',
        undefined,
        1,
      ),
  );

  /** sharp, loaded on the first upload: libvips costs ~19 MB of RSS in a server that never resizes. */
  private sharp?: Promise<typeof sharp>;

  private lib(): Promise<typeof sharp> {
    this.sharp ??= import('sharp').then((m) => {
      // each upload is new: libvips' operation cache would only hold memory
      m.default.cache(false);
      return m.default;
    });
    return this.sharp;
  }

  /** Recognises, checks and re-encodes; throws a 400 naming `file` for anything not accepted. */
  async prepare(input: Buffer): Promise<{ image: EncodedImage; thumbnail: EncodedImage }> {
    const sniffed = sniffImageFormat(input);
    if (!sniffed) {
      throw refuse('NOT_AN_IMAGE', 'file is not an image (JPEG, PNG or WebP expected)');
    }
    if ('refused' in sniffed) {
      throw refuse(
        'UNSUPPORTED_IMAGE_FORMAT',
        `file is a ${sniffed.refused} image; only JPEG, PNG and WebP are accepted`,
      );
    }
    return this.slots.run(() => this.encode(input, sniffed.format));
  }

  private async encode(
    input: Buffer,
    format: ImageFormat,
  ): Promise<{ image: EncodedImage; thumbnail: EncodedImage }> {
    const corrupt = () =>
      refuse('CORRUPT_IMAGE', `file is not a valid ${format.toUpperCase()} image`);
    const sharp = await this.lib();
    let meta: sharp.Metadata;
    try {
      // the header only (no pixels are decoded): without the pixel limit, to name the size below
      meta = await sharp(input, { ...INPUT, limitInputPixels: false }).metadata();
    } catch {
      throw corrupt();
    }
    if (meta.format !== format || !meta.width || !meta.height) throw corrupt();
    if (meta.width * meta.height > MAX_INPUT_PIXELS) {
      throw refuse(
        'IMAGE_TOO_LARGE',
        `file is ${meta.width}×${meta.height} pixels; at most ${MAX_INPUT_PIXELS / 1e6} megapixels are accepted`,
      );
    }
    const source = sharp(input, INPUT);
    const fit = (side: number) =>
      ({ width: side, height: side, fit: 'inside', withoutEnlargement: true }) as const;
    try {
      const [image, thumbnail] = await Promise.all([
        encodeAs(source.clone().resize(fit(MAX_DIMENSION)), format),
        encodeAs(source.clone().resize(fit(THUMBNAIL_SIZE)), 'webp', THUMBNAIL_QUALITY),
      ]);
      return { image, thumbnail };
    } catch {
      // the header was readable, the pixels were not (truncated, damaged)
      throw corrupt();
    }
  }
}

const THUMBNAIL_QUALITY = 75;

async function encodeAs(
  pipeline: sharp.Sharp,
  format: ImageFormat,
  quality?: number,
): Promise<EncodedImage> {
  switch (format) {
    case 'jpeg':
      pipeline.jpeg({ quality: quality ?? 82, progressive: true });
      break;
    case 'png':
      pipeline.png();
      break;
    case 'webp':
      pipeline.webp({ quality: quality ?? 80 });
      break;
  }
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height, format };
}
