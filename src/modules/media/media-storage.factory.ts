import type { Provider } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { LocalMediaStorage } from './local-media-storage';
import { MediaStorage } from './media-storage';
import { S3MediaStorage } from './s3-media-storage';

/** Picks the adapter from validated config (`MEDIA_STORAGE`, docs/media.md). */
export const mediaStorageFactory: Provider = {
  provide: MediaStorage,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): MediaStorage => {
    const storage = config.media.storage;
    switch (storage.type) {
      case 'local':
        return new LocalMediaStorage(storage.dir);
      case 's3':
        return new S3MediaStorage(storage);
    }
  },
};
