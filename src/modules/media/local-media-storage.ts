import { randomUUID } from 'node:crypto';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { checkedKey, MediaStorage } from './media-storage';

/** The path under which this server serves the files of LocalMediaStorage (media-static.ts). */
export const LOCAL_MEDIA_PATH = '/media';

/**
 * Files under one folder (MEDIA_DIR, by default `media/` in the data folder), served by this
 * server at `/media/<key>`. A file is written under a temporary dot-name and renamed into
 * place, so a reader never sees half of one and a crash leaves no partial image under its key.
 * The content type is not kept: the server derives it from the key's extension.
 */
export class LocalMediaStorage extends MediaStorage {
  constructor(readonly dir: string) {
    super();
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    // same key, same bytes: an upload of an image already stored writes nothing
    if ((await sizeOf(path)) === bytes.length) return;
    await mkdir(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.${randomUUID()}.tmp`);
    try {
      await writeFile(tmp, bytes, { flag: 'wx' });
      await rename(tmp, path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  url(key: string): string {
    return `${LOCAL_MEDIA_PATH}/${checkedKey(key)}`;
  }

  private pathOf(key: string): string {
    return join(this.dir, checkedKey(key));
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
