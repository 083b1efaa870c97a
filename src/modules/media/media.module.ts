import { Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { ImageProcessor } from './image-processor';
import { LOCAL_MEDIA_PATH } from './local-media-storage';
import { MediaController } from './media.controller';
import { MediaService } from './media.service';
import { serveMedia } from './media-static';
import { mediaStorageFactory } from './media-storage.factory';
import { UploadErrors, uploadLimits } from './media-upload';

/**
 * Image uploads (`POST /media`, docs/media.md): sharp re-encodes, a MediaStorage port keeps the
 * files (local disk served at `/media/…`, or an S3-compatible bucket). Owns no table.
 */
@Module({
  imports: [MulterModule.registerAsync({ inject: [APP_CONFIG], useFactory: uploadLimits })],
  controllers: [MediaController],
  providers: [mediaStorageFactory, ImageProcessor, MediaService, UploadErrors],
})
export class MediaModule implements NestModule {
  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The local adapter's files, at `/media/<key>` outside the API prefix. */
  configure(_consumer: MiddlewareConsumer): void {
    const storage = this.config.media.storage;
    if (storage.type === 'local') {
      this.host.httpAdapter.use(LOCAL_MEDIA_PATH, serveMedia(storage.dir));
    }
  }
}
