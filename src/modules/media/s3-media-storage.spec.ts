import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { IMMUTABLE_CACHE_CONTROL } from './media-storage';
import { S3MediaStorage, S3Settings } from './s3-media-storage';
import { sha256Hex, signV4 } from './sigv4';

const KEY = `3f/${'3f'.padEnd(64, 'a')}.jpg`;
const NOW = new Date('2026-12-01T10:00:00Z');

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A stand-in for an S3 endpoint on a real socket: records each request, answers `status`. */
async function fakeS3(status = 200): Promise<{ server: Server; url: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.statusCode = status;
      res.end(status === 200 ? '' : '<Error><Code>AccessDenied</Code></Error>');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got };
}

const settings = (endpoint: string, over: Partial<S3Settings> = {}): S3Settings => ({
  endpoint,
  region: 'ru-central1',
  bucket: 'bibarys-media',
  accessKeyId: 'YCAJEexample',
  secretAccessKey: 'secret-example-key',
  forcePathStyle: true,
  publicUrl: 'https://cdn.bibarys.kz',
  ...over,
});

describe('S3MediaStorage', () => {
  it('PUTs the bytes path-style with type, immutable cache and a signature the secret checks', async () => {
    const s3 = await fakeS3();
    try {
      const storage = new S3MediaStorage(settings(s3.url), fetch, () => NOW);
      const bytes = Buffer.from('jpeg bytes');
      await storage.put(KEY, bytes, 'image/jpeg');
      expect(s3.got).toHaveLength(1);
      const [r] = s3.got;
      expect(r.method).toBe('PUT');
      expect(r.url).toBe(`/bibarys-media/${KEY}`);
      expect(r.body.equals(bytes)).toBe(true);
      expect(r.headers['content-type']).toBe('image/jpeg');
      expect(r.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
      expect(r.headers['x-amz-content-sha256']).toBe(sha256Hex(bytes));
      expect(r.headers['x-amz-date']).toBe('20261201T100000Z');
      // what the store computes from the request it received, with the secret it knows
      const expected = signV4(
        {
          method: 'PUT',
          url: new URL(`http://${r.headers.host}${r.url}`),
          headers: {
            'content-type': String(r.headers['content-type']),
            'cache-control': String(r.headers['cache-control']),
            'x-amz-content-sha256': sha256Hex(r.body),
          },
          payloadHash: sha256Hex(r.body),
        },
        { accessKeyId: 'YCAJEexample', secretAccessKey: 'secret-example-key' },
        { region: 'ru-central1', service: 's3' },
        NOW,
      );
      expect(r.headers.authorization).toBe(expected.authorization);
      expect(r.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=YCAJEexample\/20261201\/ru-central1\/s3\/aws4_request,SignedHeaders=cache-control;content-type;host;x-amz-content-sha256;x-amz-date,Signature=[0-9a-f]{64}$/,
      );
    } finally {
      s3.server.close();
    }
  });

  it('addresses the bucket as a host name when path style is off', async () => {
    const urls: string[] = [];
    const fakeFetch = (async (url: URL) => {
      urls.push(url.toString());
      return new Response(null, { status: 200 });
    }) as unknown as typeof fetch;
    const storage = new S3MediaStorage(
      settings('https://storage.yandexcloud.net', { forcePathStyle: false }),
      fakeFetch,
      () => NOW,
    );
    await storage.put(KEY, Buffer.from('x'), 'image/jpeg');
    expect(urls).toEqual([`https://bibarys-media.storage.yandexcloud.net/${KEY}`]);
  });

  it('throws with the status when the store refuses (the service answers 503)', async () => {
    const s3 = await fakeS3(403);
    try {
      const storage = new S3MediaStorage(settings(s3.url), fetch, () => NOW);
      await expect(storage.put(KEY, Buffer.from('x'), 'image/jpeg')).rejects.toThrow(
        /answered 403: <Error><Code>AccessDenied/,
      );
    } finally {
      s3.server.close();
    }
  });

  it('answers public URLs on the configured address', () => {
    const storage = new S3MediaStorage(settings('http://127.0.0.1:9000'));
    expect(storage.url(KEY)).toBe(`https://cdn.bibarys.kz/${KEY}`);
    expect(() => storage.url('../x')).toThrow(/not a media key/);
  });
});
