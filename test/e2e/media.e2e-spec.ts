import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import sharp from 'sharp';
import request from 'supertest';

import { createTestApp, TestApp } from '../create-test-app';
import { Actor, makeUser } from '../factories/users';

const API = '/api/v1/media';

/** Every file under `dir`, as paths relative to it (none when the folder does not exist). */
function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Whether an EXIF block (as sharp's metadata gives it) has a GPS IFD pointer in IFD0. */
function hasGps(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const tiff = exif.subarray(6); // after "Exif\0\0"
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  for (let i = 0; i < u16(ifd0); i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}

const solid = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({
    create: {
      width,
      height,
      channels,
      background: channels === 4 ? { r: 20, g: 120, b: 220, alpha: 0.5 } : { r: 200, g: 40, b: 30 },
    },
  });

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('media uploads (e2e)', () => {
  let t: TestApp;
  let dir: string;
  let media: string;
  let seller: Actor;
  let buyer: Actor;
  let admin: Actor;
  /** A 300×200 photo whose EXIF says "rotate 90° clockwise" and carries a camera and GPS. */
  let photo: Buffer;

  const upload = (
    who: Actor | undefined,
    bytes: Buffer,
    filename = 'photo.jpg',
    type = 'image/jpeg',
  ) => {
    const req = t.http.post(API);
    if (who) req.set(who.auth);
    return req.attach('file', bytes, { filename, contentType: type });
  };
  /** GET of an answered absolute URL, on this app's server. */
  const fetchUrl = (url: string) =>
    t.http.get(new URL(url).pathname).buffer(true).parse(binary) as unknown as Promise<
      request.Response & { body: Buffer }
    >;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bibarys-media-e2e-'));
    media = join(dir, 'media');
    t = await createTestApp({ MEDIA_DIR: media });
    [seller, buyer, admin] = await Promise.all([
      makeUser(t.http, 'seller'),
      makeUser(t.http, 'customer'),
      makeUser(t.http, 'admin'),
    ]);
    photo = await solid(300, 200)
      .jpeg()
      .withExif({
        IFD0: { Make: 'BibarysCam', Model: 'Test 1' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '43/1 15/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '76/1 57/1 0/1',
        },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('refusals (nothing is stored)', () => {
    afterEach(() => expect(filesUnder(media)).toEqual([]));

    const fieldError = (res: request.Response, status: number, code: string, fieldCode: string) => {
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, code });
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'file', code: fieldCode }),
      ]);
      expect(res.body.message).toMatch(/file/);
    };

    it('anonymous → 401', async () => {
      const res = await upload(undefined, photo);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('a buyer → 403', async () => {
      const res = await upload(buyer, photo);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('a text file named .jpg and declared image/jpeg → 400 NOT_AN_IMAGE', async () => {
      const res = await upload(seller, Buffer.from('Это не фотография, а текст.\n'.repeat(50)));
      fieldError(res, 400, 'BAD_REQUEST', 'NOT_AN_IMAGE');
    });

    it('a GIF (a real image, not accepted) → 400 UNSUPPORTED_IMAGE_FORMAT naming GIF', async () => {
      const gif = await solid(20, 20).gif().toBuffer();
      const res = await upload(seller, gif, 'anim.gif', 'image/gif');
      fieldError(res, 400, 'BAD_REQUEST', 'UNSUPPORTED_IMAGE_FORMAT');
      expect(res.body.message).toMatch(/GIF/);
    });

    it('a truncated JPEG → 400 CORRUPT_IMAGE', async () => {
      const res = await upload(seller, photo.subarray(0, Math.floor(photo.length * 0.6)));
      fieldError(res, 400, 'BAD_REQUEST', 'CORRUPT_IMAGE');
    });

    it('a PNG declared as JPEG is judged by its bytes: a corrupt PNG body → 400 CORRUPT_IMAGE', async () => {
      const png = await solid(40, 40).png().toBuffer();
      const broken = Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)]);
      fieldError(await upload(seller, broken), 400, 'BAD_REQUEST', 'CORRUPT_IMAGE');
    });

    it('6 MB (over the 5 MiB default) → 413 PAYLOAD_TOO_LARGE naming file and the limit', async () => {
      const big = Buffer.alloc(6 * 1000 * 1000, 0x42);
      photo.copy(big, 0, 0, 64); // a JPEG's first bytes: the size alone decides
      const res = await upload(seller, big);
      fieldError(res, 413, 'PAYLOAD_TOO_LARGE', 'FILE_TOO_LARGE');
      expect(res.body.message).toBe('file is larger than 5 MiB (5242880 bytes)');
    });

    it('no file → 400 REQUIRED', async () => {
      const res = await t.http.post(API).set(seller.auth).send({});
      fieldError(res, 400, 'BAD_REQUEST', 'REQUIRED');
    });

    it('the image in another field, a second file, or an extra field → 400 INVALID_UPLOAD', async () => {
      const other = await t.http
        .post(API)
        .set(seller.auth)
        .attach('image', photo, { filename: 'p.jpg', contentType: 'image/jpeg' });
      expect(other.status).toBe(400);
      expect(other.body.errors).toEqual([
        expect.objectContaining({ field: 'image', code: 'INVALID_UPLOAD' }),
      ]);
      const two = await t.http
        .post(API)
        .set(seller.auth)
        .attach('file', photo, { filename: 'a.jpg', contentType: 'image/jpeg' })
        .attach('file', photo, { filename: 'b.jpg', contentType: 'image/jpeg' });
      fieldError(two, 400, 'BAD_REQUEST', 'INVALID_UPLOAD');
      const extra = await t.http
        .post(API)
        .set(seller.auth)
        .field('alt', 'Фото')
        .attach('file', photo, { filename: 'a.jpg', contentType: 'image/jpeg' });
      expect(extra.status).toBe(400);
      expect(extra.body.errors[0].code).toBe('INVALID_UPLOAD');
    });
  });

  describe('accepted images', () => {
    it('a JPEG: upright by its EXIF, metadata stripped, served with immutable caching', async () => {
      const before = await sharp(photo).metadata();
      expect(before.orientation).toBe(6);
      expect(hasGps(before.exif)).toBe(true); // the fixture does carry GPS
      expect(photo.includes(Buffer.from('BibarysCam'))).toBe(true);

      const res = await upload(seller, photo);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        url: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/,
        ),
        thumbnail_url: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.webp$/,
        ),
        width: 200,
        height: 300,
        content_type: 'image/jpeg',
        bytes: expect.any(Number),
      });

      const got = await fetchUrl(res.body.url);
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('image/jpeg');
      expect(got.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(got.body.length).toBe(res.body.bytes);
      // content-addressed: the name is the SHA-256 of the bytes served
      expect(res.body.url).toContain(`/${sha256(got.body)}.jpg`);

      const after = await sharp(got.body).metadata();
      expect(after).toMatchObject({ format: 'jpeg', width: 200, height: 300 });
      expect(after.exif).toBeUndefined();
      expect(after.orientation).toBeUndefined();
      expect(after.icc).toBeUndefined();
      expect(after.xmp).toBeUndefined();
      expect(got.body.includes(Buffer.from('Exif'))).toBe(false);
      expect(got.body.includes(Buffer.from('BibarysCam'))).toBe(false);

      const thumb = await fetchUrl(res.body.thumbnail_url);
      expect(thumb.status).toBe(200);
      expect(thumb.headers['content-type']).toBe('image/webp');
      const tm = await sharp(thumb.body).metadata();
      expect(tm.format).toBe('webp');
      expect([tm.width, tm.height]).toEqual([200, 300]); // never enlarged
      expect(tm.exif).toBeUndefined();
      expect(filesUnder(media)).toHaveLength(2);
    });

    it('the same upload again answers the same URLs and stores nothing new', async () => {
      const first = await upload(seller, photo);
      const again = await upload(seller, photo, 'renamed.jpeg');
      expect(again.status).toBe(201);
      // supertest gives each request its own port: the URLs' origin is the request's
      const paths = (b: { url: string; thumbnail_url: string }) => [
        new URL(b.url).pathname,
        new URL(b.thumbnail_url).pathname,
      ];
      expect(paths(again.body)).toEqual(paths(first.body));
      expect(again.body.bytes).toBe(first.body.bytes);
      expect(filesUnder(media)).toHaveLength(2);
    });

    it('a PNG keeps its format and transparency; a large image is capped at 2000 px', async () => {
      const png = await solid(2600, 1300, 4).png().toBuffer();
      const res = await upload(seller, png, 'logo.png', 'image/png');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ content_type: 'image/png', width: 2000, height: 1000 });
      expect(res.body.url).toMatch(/\.png$/);
      const got = await fetchUrl(res.body.url);
      expect(got.headers['content-type']).toBe('image/png');
      const m = await sharp(got.body).metadata();
      expect(m).toMatchObject({ format: 'png', width: 2000, height: 1000, hasAlpha: true });
      const thumb = await sharp((await fetchUrl(res.body.thumbnail_url)).body).metadata();
      expect([thumb.width, thumb.height]).toEqual([320, 160]);
    });

    it('a WebP declared as application/octet-stream with no extension (an admin may upload too)', async () => {
      const webp = await solid(64, 48).webp().toBuffer();
      const res = await upload(admin, webp, 'blob', 'application/octet-stream');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ content_type: 'image/webp', width: 64, height: 48 });
      const got = await fetchUrl(res.body.url);
      expect(got.headers['content-type']).toBe('image/webp');
      expect((await sharp(got.body).metadata()).format).toBe('webp');
    });

    it('the answered URL is accepted in a product’s image_urls', async () => {
      const { body: m } = await upload(seller, photo);
      const created = await t.http
        .post('/api/v1/products')
        .set(seller.auth)
        .send({
          name: 'Фото товара',
          description: 'С загруженной картинкой',
          price: 1500,
          quantity: 3,
          category: 'other',
          image_urls: [m.url, m.thumbnail_url],
        });
      expect(created.status).toBe(201);
      expect(created.body.image_urls).toEqual([m.url, m.thumbnail_url]);
    });

    it('an unknown key, a dot-file or a path outside the folder is a 404', async () => {
      for (const path of [
        `/media/ab/${'0'.repeat(64)}.jpg`,
        '/media/.tmp',
        '/media/../test.sqlite',
      ]) {
        const res = await t.http.get(path);
        expect(res.status).toBe(404);
      }
    });
  });
});

describe('media uploads to an S3-compatible store (e2e)', () => {
  let t: TestApp;
  let server: Server;
  let status = 200;
  const objects = new Map<string, { type: string; body: Buffer; auth: string }>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'PUT' && status === 200) {
          objects.set(req.url!, {
            type: String(req.headers['content-type']),
            body: Buffer.concat(chunks),
            auth: String(req.headers.authorization),
          });
        }
        res.statusCode = req.method === 'PUT' ? status : 405;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestApp({
      MEDIA_STORAGE: 's3',
      S3_ENDPOINT: endpoint,
      S3_REGION: 'ru-central1',
      S3_BUCKET: 'bibarys-test',
      S3_ACCESS_KEY_ID: 'test-key-id',
      S3_SECRET_ACCESS_KEY: 'test-secret',
      S3_PUBLIC_URL: 'https://cdn.bibarys.test',
    });
  });
  afterAll(async () => {
    await t.close();
    server.close();
  });

  it('PUTs the image and its thumbnail into the bucket and answers their public URLs', async () => {
    const seller = await makeUser(t.http, 'seller');
    const jpeg = await solid(120, 80).jpeg().toBuffer();
    const res = await t.http
      .post(API)
      .set(seller.auth)
      .attach('file', jpeg, { filename: 'x.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(201);
    expect(res.body.url).toMatch(/^https:\/\/cdn\.bibarys\.test\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
    expect(res.body.thumbnail_url).toMatch(
      /^https:\/\/cdn\.bibarys\.test\/[0-9a-f]{2}\/[0-9a-f]{64}\.webp$/,
    );
    const key = new URL(res.body.url).pathname;
    const stored = objects.get(`/bibarys-test${key}`)!;
    expect(stored.type).toBe('image/jpeg');
    expect(stored.body.length).toBe(res.body.bytes);
    expect(key).toContain(sha256(stored.body));
    expect(stored.auth).toMatch(
      /^AWS4-HMAC-SHA256 Credential=test-key-id\/\d{8}\/ru-central1\/s3\/aws4_request,/,
    );
    expect(objects.get(`/bibarys-test${new URL(res.body.thumbnail_url).pathname}`)?.type).toBe(
      'image/webp',
    );
    // the local folder is not served when the bucket holds the images
    expect((await t.http.get(`/media${key}`)).status).toBe(404);
  });

  it('a store that refuses → 503 with Retry-After, nothing kept', async () => {
    const seller = await makeUser(t.http, 'seller');
    status = 403;
    objects.clear();
    try {
      const res = await t.http
        .post(API)
        .set(seller.auth)
        .attach('file', await solid(30, 30).png().toBuffer(), {
          filename: 'x.png',
          contentType: 'image/png',
        });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('5');
      expect(objects.size).toBe(0);
    } finally {
      status = 200;
    }
  });
});
