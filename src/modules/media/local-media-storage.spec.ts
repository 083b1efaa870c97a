import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalMediaStorage } from './local-media-storage';

const KEY = `ab/${'ab'.padEnd(64, '0')}.jpg`;

describe('LocalMediaStorage', () => {
  let dir: string;
  let storage: LocalMediaStorage;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bibarys-media-'));
    storage = new LocalMediaStorage(join(dir, 'media'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the bytes under the key (folders made as needed), no temporary file left', async () => {
    await storage.put(KEY, Buffer.from('image bytes'));
    expect(readFileSync(join(dir, 'media', KEY), 'utf8')).toBe('image bytes');
    expect(readdirSync(join(dir, 'media', 'ab'))).toEqual([KEY.slice(3)]);
  });

  it('leaves a file of the same key and size alone (content-addressed: the same bytes)', async () => {
    await storage.put(KEY, Buffer.from('image bytes'));
    const first = statSync(join(dir, 'media', KEY)).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await storage.put(KEY, Buffer.from('image bytes'));
    expect(statSync(join(dir, 'media', KEY)).mtimeMs).toBe(first);
  });

  it('replaces a partial file under the key (a size that differs)', async () => {
    await storage.put(KEY, Buffer.from('imag'));
    await storage.put(KEY, Buffer.from('image bytes'));
    expect(readFileSync(join(dir, 'media', KEY), 'utf8')).toBe('image bytes');
  });

  it('answers a path on this server, and refuses what is not a media key', async () => {
    expect(storage.url(KEY)).toBe(`/media/${KEY}`);
    for (const bad of ['../etc/passwd', `ab/../${KEY}`, 'ab/x.jpg', `${KEY}.exe`, `/${KEY}`]) {
      expect(() => storage.url(bad)).toThrow(/not a media key/);
      await expect(storage.put(bad, Buffer.from('x'))).rejects.toThrow(/not a media key/);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
