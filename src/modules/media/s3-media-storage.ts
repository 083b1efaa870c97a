import { checkedKey, IMMUTABLE_CACHE_CONTROL, MediaStorage } from './media-storage';
import { sha256Hex, signV4, SigV4Credentials } from './sigv4';

export interface S3Settings extends SigV4Credentials {
  /** `https://storage.yandexcloud.net`, `http://127.0.0.1:9000` (MinIO), … */
  endpoint: string;
  region: string;
  bucket: string;
  /** `endpoint/bucket/key` (MinIO, most stores) instead of `bucket.endpoint-host/key`. */
  forcePathStyle: boolean;
  /** Where browsers fetch an object: `publicUrl/key`. */
  publicUrl: string;
}

/** How long one PUT may take before it counts as a failure of the store. */
export const S3_TIMEOUT_MS = 30_000;

/**
 * An S3-compatible bucket: each image is one `PUT Object` signed with AWS Signature V4 (plain
 * fetch, no SDK), sent with its content type and the immutable cache header, so the bucket (or
 * a CDN before it) can serve it as it is. The bucket must let anyone read its objects (a bucket
 * policy); no ACL is sent. docs/media.md says how to point it at MinIO, Yandex Object Storage or
 * PS Cloud.
 */
export class S3MediaStorage extends MediaStorage {
  constructor(
    private readonly s3: S3Settings,
    private readonly http: typeof fetch = fetch,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const url = this.objectUrl(key);
    const payloadHash = sha256Hex(bytes);
    const signed = signV4(
      {
        method: 'PUT',
        url,
        headers: {
          'content-type': contentType,
          'cache-control': IMMUTABLE_CACHE_CONTROL,
          'x-amz-content-sha256': payloadHash,
        },
        payloadHash,
      },
      this.s3,
      { region: this.s3.region, service: 's3' },
      this.now(),
    );
    // fetch sets Host itself (the same value: the URL's host and port)
    const { host: _host, ...headers } = signed;
    const res = await this.http(url, {
      method: 'PUT',
      headers,
      body: new Uint8Array(bytes),
      signal: AbortSignal.timeout(S3_TIMEOUT_MS),
    });
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).slice(0, 300);
      throw new Error(`S3 PUT ${url.pathname} answered ${res.status}: ${text}`);
    }
  }

  url(key: string): string {
    return `${this.s3.publicUrl}/${checkedKey(key)}`;
  }

  private objectUrl(key: string): URL {
    const endpoint = new URL(this.s3.endpoint);
    const base = endpoint.pathname.replace(/\/+$/, '');
    if (this.s3.forcePathStyle) {
      return new URL(`${endpoint.origin}${base}/${this.s3.bucket}/${checkedKey(key)}`);
    }
    return new URL(
      `${endpoint.protocol}//${this.s3.bucket}.${endpoint.host}${base}/${checkedKey(key)}`,
    );
  }
}
