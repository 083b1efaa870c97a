import { createHash } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { fieldsRefused } from '../../common/errors/validation-errors';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { MediaResponse } from './dto/media.response';
import { IMAGE_FORMATS } from './image-format';
import { EncodedImage, ImageProcessor } from './image-processor';
import { MediaStorage } from './media-storage';

/** `ab/<sha256>.<ext>`: the name says what the bytes are, so the same image has one key. */
export function mediaKeyOf(image: EncodedImage): string {
  const hash = createHash('sha256').update(image.bytes).digest('hex');
  return `${hash.slice(0, 2)}/${hash}.${IMAGE_FORMATS[image.format].extension}`;
}

/**
 * Image uploads: a seller's (or an admin's) file becomes a stored image and its thumbnail,
 * nothing is stored when the file is refused, and the answer carries absolute URLs (product
 * `image_urls` accept only absolute http(s) URLs).
 */
@Injectable()
export class MediaService {
  private readonly logger = new Logger('Media');
  private readonly publicApiUrl?: string;

  constructor(
    private readonly images: ImageProcessor,
    private readonly storage: MediaStorage,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicApiUrl = config.media.publicApiUrl;
  }

  /**
   * Stores the uploaded file. `origin` is where the request came to (`https://host`), the base
   * of the answered URLs when PUBLIC_API_URL is not set.
   */
  async upload(actor: Actor, file: Buffer | undefined, origin: string): Promise<MediaResponse> {
    if (!file?.length) {
      throw fieldsRefused('BAD_REQUEST', [
        {
          field: 'file',
          code: 'REQUIRED',
          message: 'file is required: send the image as the multipart/form-data field "file"',
        },
      ]);
    }
    const { image, thumbnail } = await this.images.prepare(file);
    const imageKey = mediaKeyOf(image);
    const thumbnailKey = mediaKeyOf(thumbnail);
    try {
      await Promise.all([
        this.storage.put(imageKey, image.bytes, IMAGE_FORMATS[image.format].contentType),
        this.storage.put(thumbnailKey, thumbnail.bytes, IMAGE_FORMATS.webp.contentType),
      ]);
    } catch (e) {
      this.logger.warn(`storing ${imageKey} failed: ${(e as Error)?.message ?? String(e)}`);
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'The image could not be stored; try again shortly',
        undefined,
        5,
      );
    }
    this.logger.log(`user ${actor.id} uploaded ${imageKey} (${image.bytes.length} bytes)`);
    const base = this.publicApiUrl ?? origin;
    const absolute = (url: string) => (url.startsWith('/') ? `${base}${url}` : url);
    return {
      url: absolute(this.storage.url(imageKey)),
      thumbnail_url: absolute(this.storage.url(thumbnailKey)),
      width: image.width,
      height: image.height,
      content_type: IMAGE_FORMATS[image.format].contentType,
      bytes: image.bytes.length,
    };
  }
}
