import sharp from 'sharp';

import type { DomainError } from '../../common/errors/domain-error';
import { loadConfig } from '../../config/app-config';
import { codeOf, testActor } from '../../testing/unit-helpers';
import { ImageProcessor, PROCESSING } from './image-processor';
import { MediaService } from './media.service';
import { MediaStorage } from './media-storage';

/** Keeps what it is given in memory; `fail` makes every put throw as a broken store would. */
class MemoryStorage extends MediaStorage {
  readonly objects = new Map<string, { bytes: Buffer; type: string }>();
  fail = false;
  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    if (this.fail) throw new Error('disk full');
    this.objects.set(key, { bytes, type: contentType });
  }
  url(key: string): string {
    return `/media/${key}`;
  }
}

const seller = testActor('seller-1', 'seller');
const jpeg = () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: '#c83' } })
    .jpeg()
    .toBuffer();

describe('MediaService', () => {
  const setup = (env: Record<string, string> = {}) => {
    const storage = new MemoryStorage();
    const images = new ImageProcessor();
    const service = new MediaService(images, storage, loadConfig({ NODE_ENV: 'test', ...env }));
    return { storage, images, service };
  };

  it('stores the image and its WebP thumbnail under their SHA-256 and answers absolute URLs', async () => {
    const { storage, service } = setup();
    const res = await service.upload(seller, await jpeg(), 'http://10.0.0.5:8001');
    expect(res).toMatchObject({ width: 40, height: 30, content_type: 'image/jpeg' });
    expect(res.url).toMatch(/^http:\/\/10\.0\.0\.5:8001\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
    expect([...storage.objects.values()].map((o) => o.type).sort()).toEqual([
      'image/jpeg',
      'image/webp',
    ]);
  });

  it('builds the URLs on PUBLIC_API_URL when it is set, whatever host the request named', async () => {
    const { service } = setup({ PUBLIC_API_URL: 'https://api.bibarys.kz/' });
    const res = await service.upload(seller, await jpeg(), 'http://evil.example');
    expect(res.url).toMatch(/^https:\/\/api\.bibarys\.kz\/media\//);
    expect(res.thumbnail_url).toMatch(/^https:\/\/api\.bibarys\.kz\/media\/.*\.webp$/);
  });

  it('refuses a missing or empty file and stores nothing', async () => {
    const { storage, service } = setup();
    for (const file of [undefined, Buffer.alloc(0)]) {
      const err = await service.upload(seller, file, 'http://h').catch((e: DomainError) => e);
      expect(err).toMatchObject({
        code: 'BAD_REQUEST',
        details: { errors: [{ field: 'file', code: 'REQUIRED' }] },
      });
    }
    expect(storage.objects.size).toBe(0);
  });

  it('answers 503 SERVICE_UNAVAILABLE (Retry-After) when the store fails', async () => {
    const { storage, service } = setup();
    storage.fail = true;
    const err = (await service
      .upload(seller, await jpeg(), 'http://h')
      .catch((e) => e)) as DomainError;
    expect(err.code).toBe('SERVICE_UNAVAILABLE');
    expect(err.retryAfter).toBe(5);
  });

  it('decodes at most PROCESSING.concurrency images at once and refuses past the queue', async () => {
    const { images } = setup();
    const file = await jpeg();
    let running = 0;
    let peak = 0;
    // every call waits in `encode` until released, so the bound is what decides
    const release: (() => void)[] = [];
    (images as unknown as { encode: () => Promise<unknown> }).encode = async () => {
      peak = Math.max(peak, ++running);
      await new Promise<void>((r) => release.push(r));
      running--;
      return { image: {}, thumbnail: {} };
    };
    const calls = Array.from({ length: PROCESSING.concurrency + PROCESSING.queue }, () =>
      images.prepare(file),
    );
    expect(await codeOf(images.prepare(file))).toBe('SERVICE_UNAVAILABLE');
    while (release.length || running) {
      release.splice(0).forEach((r) => r());
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(calls);
    expect(peak).toBe(PROCESSING.concurrency);
  });
});
